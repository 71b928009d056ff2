package dk.sektorbro.gateway.medcom;

import dk.sektorbro.gateway.platform.GatewayProperties;
import java.time.Clock;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Wires the plain-Java message builders (which know nothing of Spring) into the application. */
@Configuration(proxyBeanMethods = false)
public class MedComConfiguration {

  @Bean
  CareCommunicationBuilder careCommunicationBuilder(Clock clock, GatewayProperties properties) {
    return new CareCommunicationBuilder(clock, properties.delivery().fullUrlBase());
  }
}
