package dk.sektorbro.gateway.medcom;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import dk.sektorbro.gateway.platform.GatewayProperties.FhirFormat;
import dk.sektorbro.gateway.record.CanonicalRecord;
import dk.sektorbro.gateway.support.GatewayIntegrationTest;
import dk.sektorbro.gateway.threads.ThreadJournal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@link FhirMessageCodec#encodeBuilt} skips HAPI's search for resources to contain; for every
 * message the gateway builds (each valid sample, and the replies and forwards of the send
 * scenarios, continued from MedCom's own fixtures as parsed by HAPI) its bytes are those of {@link
 * FhirMessageCodec#encode}, in both formats.
 */
class FhirMessageCodecTest {

  private static final FhirMessageCodec CODEC = new FhirMessageCodec(FhirContext.forR4Cached());
  private static final Path RECORDS =
      GatewayIntegrationTest.TEST_MESSAGES.resolve("testscripts/records");

  @ParameterizedTest
  @EnumSource(FhirFormat.class)
  void everySample_encodesToTheSameBytes(FhirFormat format) {
    List<Path> samples = SampleMessages.validSamples();
    assertThat(samples).hasSizeGreaterThan(10);
    for (Path sample : samples) {
      Bundle bundle = SampleMessages.bundle(SampleMessages.record(sample));
      assertThat(CODEC.encodeBuilt(bundle, format))
          .as("%s, %s", sample.getFileName(), format)
          .isEqualTo(CODEC.encode(bundle, format));
    }
  }

  @ParameterizedTest
  @EnumSource(FhirFormat.class)
  void repliesAndForwards_encodeToTheSameBytes(FhirFormat format) {
    List<String> continued = new ArrayList<>();
    for (String[] scenario : THREADS) {
      CanonicalRecord record =
          SampleMessages.record(RECORDS.resolve(scenario[1]), "nordby-socialpsykiatri");
      Bundle earlier = SendScripts.fixture(scenario[0]);
      Bundle sent =
          CareCommunicationThreads.continueThread(
              SampleMessages.bundle(record),
              List.of(earlier),
              ThreadJournal.kind(record.thread()),
              record.thread().segments());
      assertThat(CODEC.encodeBuilt(sent, format))
          .as("%s, %s", scenario[1], format)
          .isEqualTo(CODEC.encode(sent, format));
      continued.add(scenario[1]);
    }
    assertThat(continued).hasSize(THREADS.length);
  }

  /**
   * What the skipped search is for, so the test above can fail: a reference to an id-less resource.
   */
  @Test
  void aReferenceToAResourceWithoutId_isContainedOnlyByEncode() {
    assertThat(CODEC.encode(withIdlessReference(), FhirFormat.XML)).contains("<contained>");
    assertThat(CODEC.encodeBuilt(withIdlessReference(), FhirFormat.XML))
        .doesNotContain("<contained>");
  }

  // A new one for each encode: HAPI's containing changes the resources it contains.
  private static Bundle withIdlessReference() {
    Bundle bundle = new Bundle();
    Patient patient = new Patient();
    patient.setId("p1");
    patient.setManagingOrganization(new Reference(new Organization().setName("x")));
    bundle.addEntry().setFullUrl("urn:uuid:p1").setResource(patient);
    return bundle;
  }

  // Fixture and record of the send scenarios that continue a thread (SendScenariosTest).
  private static final String[][] THREADS = {
    {"Bundle-S-A-new", "reply-message.json"},
    {"Bundle-S-A-new", "reply-changecategory.json"},
    {"Bundle-S-A-new", "reply-changetopic.json"},
    {"Bundle-S-B-new", "reply-attachment.json"},
    {"Bundle-S-B-new", "reply-add-attachment.json"},
    {"Bundle-S-E-forward", "reply-forward.json"},
    {"Bundle-S-A-new", "forward-message.json"},
    {"Bundle-S-A-new", "forward-changecategory.json"},
    {"Bundle-S-A-new", "forward-changetopic.json"},
    {"Bundle-S-B-new", "forward-attachment.json"},
    {"Bundle-S-B-new", "forward-add-attachment.json"},
    {"Bundle-S-B-new", "forward-partialthread.json"},
    {"Bundle-S-Tek-A-new-episodeOfCare", "tec-01.json"},
    {"Bundle-S-Tek-A-new-episodeOfCare", "tec-06.json"},
  };
}
