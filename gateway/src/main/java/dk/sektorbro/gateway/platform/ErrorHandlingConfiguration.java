package dk.sektorbro.gateway.platform;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import java.util.concurrent.TimeoutException;
import org.apache.camel.LoggingLevel;
import org.apache.camel.builder.RouteConfigurationBuilder;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.RecoverableDataAccessException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.stereotype.Component;
import org.springframework.transaction.CannotCreateTransactionException;

/**
 * One error policy for the pipeline stages: transient failures (I/O, the database away) are retried
 * with back-off first; permanent and deterministic ones end FAILED at once. Either way the route
 * keeps running and the journal says why.
 */
@Component
public class ErrorHandlingConfiguration extends RouteConfigurationBuilder {

  /** Failures that may pass by themselves; {@link FailureRecorder#isTransient} says the same. */
  @SuppressWarnings("unchecked")
  static final Class<? extends Throwable>[] TRANSIENT =
      new Class[] {
        IOException.class,
        UncheckedIOException.class,
        SQLTransientException.class,
        SQLRecoverableException.class,
        TransientDataAccessException.class,
        RecoverableDataAccessException.class,
        DataAccessResourceFailureException.class,
        CannotCreateTransactionException.class,
        TimeoutException.class
      };

  private final FailureRecorder failures;

  public ErrorHandlingConfiguration(FailureRecorder failures) {
    this.failures = failures;
  }

  @Override
  public void configuration() {
    // @formatter:off
    routeConfiguration(RouteIds.ERROR_CONFIGURATION)
        .onException(PermanentFailure.class)
        .handled(true)
        .bean(failures, "record")
        .end()
        // Only what can pass by itself is retried: I/O and the database being away for a moment.
        .onException(TRANSIENT)
        .maximumRedeliveries(3)
        .redeliveryDelay(200)
        .useExponentialBackOff()
        .retryAttemptedLogLevel(LoggingLevel.WARN)
        .logExhaustedMessageBody(false)
        .logStackTrace(false)
        .handled(true)
        .bean(failures, "record")
        .end()
        // Anything else is deterministic (a parser refusing a character, a bug): the same input
        // fails the same way, so retrying only delays the FAILED entry an operator must look at.
        .onException(Exception.class)
        .handled(true)
        .logExhaustedMessageBody(false)
        .logStackTrace(false)
        .bean(failures, "record")
        .end();
    // @formatter:on
  }
}
