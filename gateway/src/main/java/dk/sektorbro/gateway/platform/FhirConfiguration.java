package dk.sektorbro.gateway.platform;

import ca.uhn.fhir.context.FhirContext;
import java.time.Clock;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.dao.DataAccessException;

/** Shared, expensive-to-build infrastructure: the FHIR context and the clock. */
@Configuration(proxyBeanMethods = false)
public class FhirConfiguration {

  private static final Logger log = LoggerFactory.getLogger(FhirConfiguration.class);

  @Bean
  FhirContext fhirContext() {
    return FhirContext.forR4Cached();
  }

  /**
   * The node's clock, kept within a second of the database's (several nodes compare each other's
   * times): measured once here, then by every cluster heartbeat. Without a database at this moment
   * it starts as the node's own clock and the first heartbeat corrects it.
   */
  @Bean
  DatabaseClock clock(ObjectProvider<DataSource> database) {
    DatabaseClock clock = new DatabaseClock(Clock.systemDefaultZone());
    DataSource source = database.getIfAvailable();
    if (source != null) {
      try {
        clock.measure(source);
      } catch (DataAccessException e) {
        log.warn("database clock not measured at start: {}", e.getClass().getSimpleName());
      }
    }
    return clock;
  }
}
