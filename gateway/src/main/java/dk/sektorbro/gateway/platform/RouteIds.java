package dk.sektorbro.gateway.platform;

/** Stable route and endpoint names, shared by routes, tests, metrics and the admin console. */
public final class RouteIds {

  public static final String ERROR_CONFIGURATION = "gateway-errors";

  /** Prefix of the file-drop route of each source: {@code intake-file-<source>}. */
  public static final String INTAKE_FILE_PREFIX = "intake-file-";

  public static final String TRANSLATE = "translate";
  public static final String DELIVER = "deliver";
  public static final String RECOVERY = "recovery";

  public static final String TRANSLATE_QUEUE = "seda:translate";
  public static final String DELIVER_QUEUE = "seda:deliver";

  /** Exchange header that carries the journal id through every stage. */
  public static final String JOURNAL_ID = "GatewayJournalId";

  private RouteIds() {}

  public static String intakeFile(String source) {
    return INTAKE_FILE_PREFIX + source;
  }
}
