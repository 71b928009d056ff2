package dk.sektorbro.gateway.medcom;

import static dk.sektorbro.gateway.support.BundleResources.resources;
import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import dk.sektorbro.gateway.mapping.CanonicalRecordRules;
import dk.sektorbro.gateway.mapping.MappingDefinition;
import dk.sektorbro.gateway.mapping.MappingOutcome;
import dk.sektorbro.gateway.mapping.MappingRegistry;
import dk.sektorbro.gateway.mapping.RecordMapper;
import dk.sektorbro.gateway.record.CanonicalRecord;
import dk.sektorbro.gateway.support.TestFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.hl7.fhir.r4.model.Attachment;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Communication;
import org.hl7.fhir.r4.model.DomainResource;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.MessageHeader;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.PractitionerRole;
import org.hl7.fhir.r4.model.Provenance;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Canonical record to CareCommunication, asserted on parsed HAPI resources. The golden files in
 * test-messages/<source>/expected/ are the full messages for fixed ids and clock; run with
 * -Dsektorbro.regenerate-expected=true to rewrite them after a deliberate change, and review the
 * diff.
 */
class CareCommunicationBuilderTest {

  private static final FhirContext FHIR = FhirContext.forR4Cached();
  private static final Map<String, MappingDefinition> MAPPINGS =
      MappingRegistry.load(TestFiles.MAPPINGS);
  private static final RecordMapper MAPPER = new RecordMapper(new CanonicalRecordRules());
  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2026-11-23T09:00:00Z"), ZoneId.of("Europe/Copenhagen"));
  private static final CareCommunicationBuilder BUILDER =
      new CareCommunicationBuilder(CLOCK, "https://sektorbro.test/fhir");

  static List<Path> validSamples() {
    return MAPPINGS.keySet().stream()
        .sorted()
        .flatMap(s -> TestFiles.validSamples(s).stream())
        .toList();
  }

  @ParameterizedTest
  @MethodSource("validSamples")
  void everySample_matchesItsExpectedMessage(Path sample) throws IOException {
    Bundle bundle = build(sample);
    Path expected = TestFiles.expected(sample);
    String json = FHIR.newJsonParser().setPrettyPrint(true).encodeResourceToString(bundle);
    if (Boolean.getBoolean("sektorbro.regenerate-expected")) {
      Files.createDirectories(expected.getParent());
      Files.writeString(expected, json + "\n");
    }
    assertThat(expected).as("expected output for " + sample.getFileName()).exists();
    Bundle golden = FHIR.newJsonParser().parseResource(Bundle.class, Files.readString(expected));
    // Round-trip through the parser so both sides are compared in the same parsed form.
    Bundle actual = FHIR.newJsonParser().parseResource(Bundle.class, json);
    assertThat(actual.equalsDeep(golden)).as("message differs from " + expected).isTrue();
  }

  @ParameterizedTest
  @MethodSource("validSamples")
  void everySample_isAWellFormedMedComMessage(Path sample) {
    Bundle bundle = build(sample);
    assertThat(bundle.getType()).isEqualTo(Bundle.BundleType.MESSAGE);
    assertThat(bundle.getMeta().getProfile())
        .extracting(p -> p.getValue())
        .containsExactly(MedComProfiles.CC_MESSAGE);
    MessageHeader header = (MessageHeader) bundle.getEntryFirstRep().getResource();
    assertThat(header.getEventCoding().getCode()).isEqualTo("care-communication-message");
    assertThat(header.getDefinition()).isEqualTo(MedComProfiles.CC_DEFINITION);
    assertThat(header.getDestination())
        .singleElement()
        .satisfies(
            d ->
                assertThat(d.getExtensionByUrl(MedComProfiles.DESTINATION_USE_EXTENSION).getValue())
                    .hasFieldOrPropertyWithValue("code", "primary"));
    assertThat(resources(bundle, Patient.class)).hasSize(1);
    assertThat(resources(bundle, Provenance.class))
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.getActivity().getCodingFirstRep().getCode()).isEqualTo("new-message");
              assertThat(p.getTargetFirstRep().getReference())
                  .isEqualTo("MessageHeader/" + header.getIdPart());
            });
    // Every resource but the Bundle has a narrative; every entry has an absolute fullUrl.
    for (Bundle.BundleEntryComponent entry : bundle.getEntry()) {
      assertThat(entry.getFullUrl())
          .startsWith("https://sektorbro.test/fhir/" + entry.getResource().fhirType() + "/");
      assertThat(((DomainResource) entry.getResource()).getText().getDivAsString())
          .contains("xhtml");
    }
    // Every reference resolves inside the Bundle.
    List<String> local =
        bundle.getEntry().stream()
            .map(e -> e.getResource().fhirType() + "/" + e.getResource().getIdPart())
            .toList();
    FHIR.newTerser()
        .getAllPopulatedChildElementsOfType(bundle, Reference.class)
        .forEach(r -> assertThat(local).contains(r.getReference()));
  }

  @Test
  void organisations_carrySorAndGln_andTheCommunicationCarriesTheText() {
    Bundle bundle =
        build(
            TestFiles.TEST_MESSAGES.resolve(
                "nordby-socialpsykiatri/status-efter-udskrivelse.json"));
    MessageHeader header = (MessageHeader) bundle.getEntryFirstRep().getResource();
    Organization receiver =
        resolve(bundle, header.getDestinationFirstRep().getReceiver(), Organization.class);
    assertThat(receiver.getIdentifier())
        .extracting(i -> i.getSystem() + "|" + i.getValue())
        .containsExactlyInAnyOrder(
            "urn:oid:1.2.208.176.1.1|990031000016002", "https://www.gs1.org/gln|5790009900030");
    Organization sender = resolve(bundle, header.getSender(), Organization.class);
    assertThat(sender.getName()).isEqualTo("Nordby Kommune, Socialpsykiatrien");
    Patient patient = resources(bundle, Patient.class).get(0);
    assertThat(patient.getIdentifierFirstRep().getSystem()).isEqualTo("urn:oid:1.2.208.176.1.2");
    assertThat(patient.getIdentifierFirstRep().getValue()).isEqualTo("0503455012");
    Communication c = resources(bundle, Communication.class).get(0);
    assertThat(c.getCategoryFirstRep().getCodingFirstRep().getCode())
        .isEqualTo("psychiatry-social-disability");
    assertThat(c.getTopic().getText()).isEqualTo("Status efter udskrivelse");
    assertThat(c.getPayloadFirstRep().getContentStringType().getValue())
        .contains("bostøtte (SEL §85)")
        .contains("\n");
    assertThat(c.getPayloadFirstRep().getExtension()).hasSize(4);
    assertThat(c.getIdentifierFirstRep().getValue()).startsWith("urn:uuid:");
    assertThat(c.hasPriority()).isFalse();
    PractitionerRole role = resources(bundle, PractitionerRole.class).get(0);
    assertThat(role.getCodeFirstRep().getCodingFirstRep().getCode()).isEqualTo("socialraadgiver");
  }

  @Test
  void attachments_loseTheirSuffix_andKeepTheirBytes() {
    Bundle bundle =
        build(
            TestFiles.TEST_MESSAGES.resolve("nordby-socialpsykiatri/koordinering-med-bilag.json"));
    Communication c = resources(bundle, Communication.class).get(0);
    assertThat(c.getPayload()).hasSize(2);
    Attachment a = c.getPayload().get(1).getContentAttachment();
    assertThat(a.getTitle()).isEqualTo("Handleplan");
    assertThat(a.getContentType()).isEqualTo("application/pdf");
    assertThat(new String(a.getData(), 0, 4)).isEqualTo("%PDF");
    Provenance p = resources(bundle, Provenance.class).get(0);
    assertThat(p.getEntity()).hasSize(2); // text segment + attachment added by this message
  }

  @Test
  void referral_carriesPriorityAndEncounter() {
    Bundle bundle =
        build(TestFiles.TEST_MESSAGES.resolve("nordby-socialpsykiatri/henvisning-prioritet.json"));
    Communication c = resources(bundle, Communication.class).get(0);
    assertThat(c.getPriority()).isEqualTo(Communication.CommunicationPriority.ASAP);
    Encounter e = resources(bundle, Encounter.class).get(0);
    assertThat(c.getEncounter().getReference()).isEqualTo("Encounter/" + e.getIdPart());
    assertThat(e.getEpisodeOfCareFirstRep().getIdentifier().getValue())
        .isEqualTo("7c0f3b4e-2d11-4a8e-9f5b-1b2c3d4e5f60");
  }

  @Test
  void narrative_escapesMarkupInFreeText() {
    CanonicalRecord r = record(TestFiles.MEDICATION_QUESTION);
    CanonicalRecord hostile = r.withText("<script>alert(1)</script> & co");
    Bundle bundle = BUILDER.build(hostile, MessageIds.generate(sequence(), 0));
    String div = resources(bundle, Communication.class).get(0).getText().getDivAsString();
    assertThat(div).doesNotContain("<script>").contains("&lt;script&gt;");
  }

  @Test
  void sentTimes_areTheMomentOfSending_notTheRecordsOwnTime_andAFutureDateIsNoted() {
    CanonicalRecord r = record(TestFiles.MEDICATION_QUESTION);
    OffsetDateTime future = OffsetDateTime.parse("2027-03-01T08:00:00+01:00");
    CanonicalRecord dated = r.withSentAt(future);

    Bundle bundle = BUILDER.build(dated, MessageIds.generate(sequence(), 0));

    String now = "2026-11-23T10:00:00+01:00"; // the fixed clock, in Danish local time
    Provenance p = resources(bundle, Provenance.class).get(0);
    assertThat(p.getOccurredDateTimeType().getValueAsString()).isEqualTo(now);
    assertThat(p.getRecordedElement().getValueAsString()).isEqualTo(now);
    assertThat(bundle.getTimestampElement().getValueAsString()).isEqualTo(now);
    Communication c = resources(bundle, Communication.class).get(0);
    assertThat(
            c.getPayloadFirstRep()
                .getExtensionByUrl(MedComProfiles.DATETIME_EXTENSION)
                .getValue()
                .primitiveValue())
        .isEqualTo(now);
    assertThat(CareCommunicationBuilder.sentTimeNote(dated, CLOCK.instant()))
        .contains("lies in the future")
        .contains("2027-03-01T08:00+01:00")
        .contains(now);
    assertThat(CareCommunicationBuilder.sentTimeNote(r, CLOCK.instant())).isNull();
  }

  @Test
  void messageHeaderNarrative_namesTheDestinationUse() {
    Bundle bundle = build(TestFiles.MEDICATION_QUESTION);
    assertThat(((MessageHeader) bundle.getEntryFirstRep().getResource()).getText().getDivAsString())
        .contains("(primary)");
  }

  private static Bundle build(Path sample) {
    CanonicalRecord record = record(sample);
    return BUILDER.build(record, MessageIds.generate(sequence(), record.attachments().size()));
  }

  private static CanonicalRecord record(Path sample) {
    String source = sample.getParent().getFileName().toString();
    MappingOutcome outcome = MAPPER.map(MAPPINGS.get(source), TestFiles.read(sample));
    return ((MappingOutcome.Mapped) outcome).record();
  }

  /** Deterministic UUIDs so golden files are stable. */
  static Supplier<UUID> sequence() {
    AtomicLong n = new AtomicLong();
    return () -> new UUID(0x00000000_0000_4000L, 0x8000_0000_0000_0000L | n.incrementAndGet());
  }

  private static <T extends Resource> T resolve(Bundle bundle, Reference reference, Class<T> type) {
    return resources(bundle, type).stream()
        .filter(r -> reference.getReference().equals(r.fhirType() + "/" + r.getIdPart()))
        .findFirst()
        .orElseThrow();
  }
}
