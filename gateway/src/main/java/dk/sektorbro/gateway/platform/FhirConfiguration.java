package dk.sektorbro.gateway.platform;

import ca.uhn.fhir.context.FhirContext;
import java.time.Clock;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Shared, expensive-to-build infrastructure: the FHIR context and the clock. */
@Configuration(proxyBeanMethods = false)
public class FhirConfiguration {

  @Bean
  FhirContext fhirContext() {
    return FhirContext.forR4Cached();
  }

  @Bean
  Clock clock() {
    return Clock.systemDefaultZone();
  }
}
