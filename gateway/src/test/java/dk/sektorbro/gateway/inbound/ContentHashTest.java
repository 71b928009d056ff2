package dk.sektorbro.gateway.inbound;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import java.time.Clock;
import java.util.Date;
import java.util.UUID;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Communication;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Provenance;
import org.hl7.fhir.r4.model.StringType;
import org.junit.jupiter.api.Test;

/** A MedCom resend keeps the hash; any change of what the message says does not. */
class ContentHashTest {

  private static final FhirContext FHIR = FhirContext.forR4Cached();

  private final Bundle message =
      HospitalMessages.bundle(
          HospitalMessages.record("1711538456", HospitalMessages.HOME_CARE, "medicine"),
          Clock.systemUTC());

  @Test
  void resend_newBundleIdTimestampAndProvenanceTimes_asXml_sameHash() {
    Bundle resend = message.copy();
    resend.setId(UUID.randomUUID().toString());
    resend.setTimestamp(new Date(System.currentTimeMillis() + 3_600_000));
    for (Bundle.BundleEntryComponent e : resend.getEntry()) {
      if (e.getResource() instanceof Provenance p) {
        p.setOccurred(new DateTimeType(new Date(System.currentTimeMillis() + 3_600_000)));
        p.setRecorded(new Date(System.currentTimeMillis() + 3_600_000));
      }
    }
    Bundle viaXml =
        FHIR.newXmlParser()
            .parseResource(Bundle.class, FHIR.newXmlParser().encodeResourceToString(resend));

    assertThat(ContentHash.of(viaXml)).isEqualTo(ContentHash.of(message)).hasSize(64);
  }

  @Test
  void changedText_otherHash() {
    Bundle changed = message.copy();
    for (Bundle.BundleEntryComponent e : changed.getEntry()) {
      if (e.getResource() instanceof Communication c) {
        c.getPayloadFirstRep().setContent(new StringType("Borgeren udskrives i dag."));
      }
    }
    assertThat(ContentHash.of(changed)).isNotEqualTo(ContentHash.of(message));
  }

  @Test
  void otherCitizen_otherHash() {
    Bundle changed = message.copy();
    for (Bundle.BundleEntryComponent e : changed.getEntry()) {
      if (e.getResource() instanceof Patient p) {
        p.getIdentifierFirstRep().setValue("0101485555");
      }
    }
    assertThat(ContentHash.of(changed)).isNotEqualTo(ContentHash.of(message));
  }

  @Test
  void hashingLeavesTheReceivedBundleAlone() {
    String before = FHIR.newJsonParser().encodeResourceToString(message);
    ContentHash.of(message);
    assertThat(FHIR.newJsonParser().encodeResourceToString(message)).isEqualTo(before);
  }
}
