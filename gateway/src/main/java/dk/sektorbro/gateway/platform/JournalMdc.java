package dk.sektorbro.gateway.platform;

import org.slf4j.MDC;

/** Puts the journal id (never content) into the logging context for the duration of a step. */
public final class JournalMdc {

  public static final String KEY = "journalId";

  private JournalMdc() {}

  public static MDC.MDCCloseable put(String journalId) {
    return MDC.putCloseable(KEY, journalId);
  }
}
