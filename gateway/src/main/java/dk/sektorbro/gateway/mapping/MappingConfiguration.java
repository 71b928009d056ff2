package dk.sektorbro.gateway.mapping;

import dk.sektorbro.gateway.platform.GatewayProperties;
import java.time.Clock;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Wires the plain-Java record mapper (which knows nothing of Spring) into the application. */
@Configuration(proxyBeanMethods = false)
public class MappingConfiguration {

  @Bean
  RecordMapper recordMapper(Clock clock, GatewayProperties properties) {
    return new RecordMapper(new CanonicalRecordRules(clock, properties.intake().futureTolerance()));
  }
}
