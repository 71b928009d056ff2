package dk.sektorbro.gateway.validation;

import static dk.sektorbro.gateway.support.BundleResources.first;
import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import dk.sektorbro.gateway.medcom.CareCommunicationBuilder;
import dk.sektorbro.gateway.medcom.MedComCodes;
import dk.sektorbro.gateway.medcom.MedComProfiles;
import dk.sektorbro.gateway.medcom.ReferenceMessage;
import dk.sektorbro.gateway.medcom.SampleMessages;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Communication;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.MessageHeader;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Provenance;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Deliberately broken CareCommunications: each one fails with the issue MedCom's rules define. */
// Validates with the official MedCom chains (slow): runs in verify, not in ./mvnw test.
@Tag("integration")
class BrokenMessagesTest {

  private static final FhirContext FHIR = FhirContext.forR4Cached();

  @Test
  void referenceMessage_isValid() {
    assertThat(validate(reference()).errors()).isEmpty();
  }

  static Stream<Arguments> brokenMessages() {
    return Stream.of(
        broken(
            "missing Patient",
            b -> b.getEntry().removeIf(e -> e.getResource() instanceof Patient),
            "medcom-careCommunication-2"),
        broken(
            "two Patients",
            b -> {
              Patient second = first(b, Patient.class).copy();
              second.setId("0b6a0e52-9c52-4d6c-8f57-5d3c2b7f4a11");
              b.addEntry()
                  .setFullUrl("https://sektorbro.local/fhir/Patient/" + second.getIdPart())
                  .setResource(second);
            },
            "medcom-careCommunication-2"),
        broken(
            "cc destination",
            b -> {
              MessageHeader header = first(b, MessageHeader.class);
              header
                  .addDestination()
                  .setEndpoint(header.getDestinationFirstRep().getEndpoint())
                  .setReceiver(header.getDestinationFirstRep().getReceiver())
                  .addExtension(
                      MedComProfiles.DESTINATION_USE_EXTENSION,
                      new Coding(MedComCodes.DESTINATION_USE_SYSTEM, "cc", null));
            },
            "MessageHeader.destination:cc: max allowed = 0"),
        broken(
            "wrong Provenance activity",
            b ->
                first(b, Provenance.class)
                    .getActivity()
                    .getCodingFirstRep()
                    .setCode("retract-message"),
            "retract-message"),
        broken(
            "bad GLN check digit",
            b -> glnOf(first(b, Organization.class)).setValue("5790000120315"),
            "gln-modulus-10"),
        broken(
            "priority on a non-referral category",
            b ->
                first(b, Communication.class)
                    .getCategoryFirstRep()
                    .getCodingFirstRep()
                    .setCode("nursing"),
            "medcom-careCommunication-5"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("brokenMessages")
  void brokenMessage_failsWithTheExpectedIssue(
      String name, Consumer<Bundle> breakIt, String expected) {
    Bundle bundle = reference();
    breakIt.accept(bundle);

    List<ValidationReport.Issue> errors = validate(bundle).errors();

    assertThat(errors).as(name).isNotEmpty();
    assertThat(errors).as(name).anyMatch(i -> i.message().contains(expected));
  }

  private static Arguments broken(String name, Consumer<Bundle> breakIt, String expected) {
    return Arguments.of(name, breakIt, expected);
  }

  private static Bundle reference() {
    return ReferenceMessage.build(
        new CareCommunicationBuilder(SampleMessages.CLOCK, "https://sektorbro.local/fhir"));
  }

  private static ValidationReport validate(Bundle bundle) {
    return MedComChains.get()
        .forType("CareCommunication")
        .validate(FHIR.newJsonParser().encodeResourceToString(bundle));
  }

  private static Identifier glnOf(Organization organization) {
    return organization.getIdentifier().stream()
        .filter(i -> MedComProfiles.GLN_SYSTEM.equals(i.getSystem()))
        .findFirst()
        .orElseThrow();
  }
}
