package dk.sektorbro.gateway.platform;

import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Where every route failure ends: the entry becomes FAILED with a reason an operator can act on.
 * The log gets the id, stage and exception type only (exception texts may quote content).
 */
@Component
public class FailureRecorder {

  private static final Logger log = LoggerFactory.getLogger(FailureRecorder.class);

  private final FailedEntries journal;

  public FailureRecorder(FailedEntries journal) {
    this.journal = journal;
  }

  public void record(Exchange exchange) {
    Throwable cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
    String journalId = exchange.getMessage().getHeader(RouteIds.JOURNAL_ID, String.class);
    String stage = exchange.getFromRouteId();
    if (cause != null && DatabaseUnavailable.is(cause)) {
      // The database was away, not the message wrong: FAILED would wait for an administrator's
      // retry (an outage of a minute left entries so). The entry keeps its state; the recovery
      // sweep resumes it once the database is back (docs/operations.md).
      log.warn(
          "stage interrupted id={} stage={}: the database is not available (cause={}); the entry"
              + " is resumed when it is back",
          journalId,
          stage,
          cause.getClass().getSimpleName());
      return;
    }
    String reason = reason(cause);
    log.warn(
        "stage failed id={} stage={} cause={}",
        journalId,
        stage,
        cause == null ? "?" : cause.getClass().getSimpleName());
    if (journalId == null) {
      return;
    }
    try {
      journal.failUnfinished(journalId, stage, reason);
    } catch (RuntimeException e) {
      if (!DatabaseUnavailable.is(e)) {
        throw e;
      }
      // Thrown from here, Camel's fatal fallback logged both failures with their stack traces,
      // over and over while the database was away. The entry keeps its state in the journal; the
      // recovery sweep resumes it once the database is back.
      log.warn(
          "stage failure not recorded id={} stage={}: the database is not available (cause={});"
              + " the entry is resumed when it is back",
          journalId,
          stage,
          e.getClass().getSimpleName());
    }
  }

  static String reason(Throwable caught) {
    if (caught == null) {
      return "unknown failure";
    }
    Throwable cause = stageFailure(caught);
    if (cause instanceof PermanentFailure) {
      return cause.getMessage();
    }
    String message = cause.getMessage() == null ? "" : ": " + cause.getMessage();
    String text =
        isTransient(cause)
            ? "internal error after retries (" + cause.getClass().getSimpleName() + message + ")"
            : "internal error, not retried because the same input fails the same way ("
                + cause.getClass().getSimpleName()
                + message
                + "); correct the record or report the error";
    return text.length() > 1000 ? text.substring(0, 1000) + "…" : text;
  }

  /**
   * What the stage itself threw. A bean called through Camel's bean binding ({@code .bean(bean,
   * "method(${...})")}, as the recovery route does) reaches the error handler wrapped in Camel's
   * own exceptions, whose text ("Failed to invoke method: ... due to: ...") tells an operator
   * nothing; the pipeline stages are called directly and arrive as thrown.
   */
  static Throwable stageFailure(Throwable caught) {
    for (Throwable t = caught; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof PermanentFailure) {
        return t;
      }
    }
    Throwable t = caught;
    while (t.getCause() != null
        && t.getCause() != t
        && t.getClass().getName().startsWith("org.apache.camel.")) {
      t = t.getCause();
    }
    return t;
  }

  static boolean isTransient(Throwable cause) {
    // As Camel matches onException: anywhere in the cause chain.
    for (Throwable t = cause; t != null; t = t.getCause() == t ? null : t.getCause()) {
      for (Class<? extends Throwable> type : ErrorHandlingConfiguration.TRANSIENT) {
        if (type.isInstance(t)) {
          return true;
        }
      }
    }
    return false;
  }
}
