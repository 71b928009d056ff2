package dk.sektorbro.gateway.support;

import dk.sektorbro.gateway.validation.MedComChains;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * End-to-end tests of the gateway with the official MedCom packages loaded: every message it sends
 * or answers is validated against the official chains. The subclasses share one such application
 * (see {@link GatewayIntegrationTest} for the rules that makes them keep). The folders are those of
 * {@link MedComChains}, so the application reuses the chains the tests load for their own checks.
 */
public abstract class MedComIntegrationTest extends GatewayIntegrationTest {

  @DynamicPropertySource
  static void medcomPackages(DynamicPropertyRegistry registry) {
    registry.add("gateway.conformance.package-dir", MedComChains.PACKAGES::toString);
    registry.add("gateway.conformance.profiles-dir", () -> REPO.resolve("profiles").toString());
  }
}
