package dk.sektorbro.gateway.platform;

import org.apache.camel.LoggingLevel;
import org.apache.camel.builder.RouteConfigurationBuilder;
import org.springframework.stereotype.Component;

/**
 * One error policy for the pipeline stages: permanent failures end FAILED at once; anything else
 * (I/O, database) is retried with back-off first. Either way the route keeps running and the
 * journal says why.
 */
@Component
public class ErrorHandlingConfiguration extends RouteConfigurationBuilder {

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
        .onException(Exception.class)
            .maximumRedeliveries(3)
            .redeliveryDelay(200)
            .useExponentialBackOff()
            .retryAttemptedLogLevel(LoggingLevel.WARN)
            .logExhaustedMessageBody(false)
            .logStackTrace(false)
            .handled(true)
            .bean(failures, "record")
        .end();
    // @formatter:on
  }
}
