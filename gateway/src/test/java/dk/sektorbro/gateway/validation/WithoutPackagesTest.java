package dk.sektorbro.gateway.validation;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import dk.sektorbro.gateway.medcom.SampleMessages;
import dk.sektorbro.gateway.support.GatewayIntegrationTest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.hl7.fhir.r4.model.Bundle;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.Status;

/**
 * A default installation without the MedCom packages still validates (base R4 + profiles/) and says
 * plainly, in the report and in the health details, that MedCom packages are not installed.
 */
// Loads HAPI's R4 core and profiles/ into a validator (slow): runs in verify, not in ./mvnw test.
@Tag("integration")
class WithoutPackagesTest {

  private static ConformanceChains chains;

  @BeforeAll
  static void load(@TempDir Path emptyPackageDir) {
    chains =
        ConformanceChains.load(
            FhirContext.forR4Cached(),
            new ConformanceProperties(
                emptyPackageDir, GatewayIntegrationTest.REPO.resolve("profiles")));
  }

  @Test
  void everyMessageType_fallsBackToBaseR4_andSaysSo() {
    assertThat(chains.medcomInstalled()).isFalse();
    assertThat(chains.missingPackages())
        .containsOnlyKeys(
            "CareCommunication", "Acknowledgement", "HospitalNotification", "CarePlanDocument");
    assertThat(chains.missingPackages().get("CareCommunication"))
        .contains("medcom.fhir.dk.carecommunication-5.0.2.tgz");
    assertThat(chains.forType("CareCommunication")).isSameAs(chains.fallback());
    assertThat(chains.fallback().name()).contains("MedCom packages not installed");
  }

  @Test
  void baseR4Fallback_stillFindsStructuralErrors() {
    Bundle bundle =
        SampleMessages.bundle(SampleMessages.record(SampleMessages.validSamples().get(0)));
    assertThat(chains.forType("CareCommunication").validate(json(bundle)).errors()).isEmpty();

    // R4 core bdl-12: a message Bundle has its MessageHeader as the first entry.
    bundle.getEntry().add(bundle.getEntry().remove(0));
    assertThat(chains.forType("CareCommunication").validate(json(bundle)).errors())
        .anyMatch(i -> i.message().contains("bdl-12"));
  }

  private static String json(Bundle bundle) {
    return FhirContext.forR4Cached().newJsonParser().encodeResourceToString(bundle);
  }

  @Test
  void health_isUpButSaysThePackagesAreNotInstalled() {
    Health health =
        new ConformanceHealthIndicator(
                new ConformanceStatus(chains, Duration.ofMillis(1), Map.of()))
            .health();

    assertThat(health.getStatus()).isEqualTo(Status.UP);
    assertThat((String) health.getDetails().get("medcomPackages")).startsWith("not installed");
    assertThat((Map<?, ?>) health.getDetails().get("chains")).isEmpty();
    assertThat(health.getDetails()).containsKey("missingPackages");
  }
}
