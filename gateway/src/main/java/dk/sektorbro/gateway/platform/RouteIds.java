package dk.sektorbro.gateway.platform;

import java.util.List;

/** Stable route and endpoint names, shared by routes, tests, metrics and the admin console. */
public final class RouteIds {

  public static final String ERROR_CONFIGURATION = "gateway-errors";

  /** Prefix of the file-drop route of each source: {@code intake-file-<source>}. */
  public static final String INTAKE_FILE_PREFIX = "intake-file-";

  public static final String GATES = "gates";
  public static final String TRANSLATE = "translate";
  public static final String VALIDATE = "validate";
  public static final String DELIVER = "deliver";
  public static final String RECOVERY = "recovery";

  /** The folder route that reads acknowledgements and messages from the inbound folder. */
  public static final String INBOUND_FOLDER = "inbound-folder";

  /** Pipeline stages in order; each has a queue of journal ids named after it. */
  public static final List<String> STAGES = List.of(GATES, TRANSLATE, VALIDATE, DELIVER);

  /** Exchange header that carries the journal id through every stage. */
  public static final String JOURNAL_ID = "GatewayJournalId";

  private RouteIds() {}

  public static String intakeFile(String source) {
    return INTAKE_FILE_PREFIX + source;
  }
}
