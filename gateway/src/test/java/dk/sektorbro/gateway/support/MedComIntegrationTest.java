package dk.sektorbro.gateway.support;

import dk.sektorbro.gateway.validation.MedComChains;
import java.util.List;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * End-to-end tests of the gateway with the official MedCom packages loaded: every message it sends
 * or answers is validated against the official chains. The subclasses share one such application
 * (see {@link GatewayIntegrationTest} for the rules that makes them keep). The folders are those of
 * {@link MedComChains}, so the application reuses the chains the tests load for their own checks.
 */
public abstract class MedComIntegrationTest extends GatewayIntegrationTest {

  /** Receivers of the CareCommunication TestScript fixtures and of the official examples. */
  public static final List<String> MEDCOM_RECEIVERS =
      List.of(
          "5790001348120",
          "5790000209354",
          "5790001353308",
          "5790001387419",
          "5790002408496",
          "5790000121526");

  /**
   * The receivers served by default: the fictitious Nordby units of the samples (application.yml).
   */
  private static final List<String> NORDBY_RECEIVERS = List.of("5790009900016", "5790009900023");

  @DynamicPropertySource
  static void medcomPackages(DynamicPropertyRegistry registry) {
    registry.add("gateway.conformance.package-dir", MedComChains.PACKAGES::toString);
    registry.add("gateway.conformance.profiles-dir", () -> REPO.resolve("profiles").toString());
    // The gateway also plays the receiver of MedCom's own material.
    registry.add(
        "gateway.handover.receivers",
        () -> String.join(",", NORDBY_RECEIVERS) + "," + String.join(",", MEDCOM_RECEIVERS));
  }
}
