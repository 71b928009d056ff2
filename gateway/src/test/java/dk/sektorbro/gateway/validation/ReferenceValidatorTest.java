package dk.sektorbro.gateway.validation;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import dk.sektorbro.gateway.medcom.FhirMessageCodec;
import dk.sektorbro.gateway.medcom.SampleMessages;
import dk.sektorbro.gateway.platform.GatewayProperties.FhirFormat;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.hl7.fhir.r4.model.Bundle;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The reference validator (one InstanceValidator per thread, profiles read by streaming) gives
 * exactly the issues HAPI's stock FhirValidator gives: same severity, location, message and id, in
 * the same order, on every official example and every gateway sample as XML and JSON, valid or not.
 */
// Validates with the official MedCom chains (slow): runs in verify, not in ./mvnw test.
@Tag("integration")
class ReferenceValidatorTest {

  private static final FhirContext FHIR = FhirContext.forR4Cached();
  private static final FhirMessageCodec CODEC = new FhirMessageCodec(FHIR);

  static Stream<Arguments> messages() {
    List<Arguments> all = new ArrayList<>();
    for (String type : List.of("CareCommunication", "Acknowledgement", "CarePlanDocument")) {
      for (String example : MedComChains.get().officialExamples(type)) {
        all.add(Arguments.of(type, "official example " + all.size(), example));
        Bundle bundle = (Bundle) FHIR.newJsonParser().parseResource(example);
        all.add(
            Arguments.of(
                type,
                "official example as XML " + all.size(),
                FHIR.newXmlParser().encodeResourceToString(bundle)));
      }
    }
    SampleMessages.validSamples()
        .forEach(
            sample -> {
              Bundle bundle = SampleMessages.bundle(SampleMessages.record(sample));
              for (FhirFormat format : FhirFormat.values()) {
                all.add(
                    Arguments.of(
                        "CareCommunication",
                        sample.getFileName() + " " + format,
                        CODEC.encode(bundle, format)));
              }
              // A broken copy: the wrong MessageHeader definition and an entry moved, so errors are
              // compared too.
              Bundle broken = bundle.copy();
              broken.getEntry().add(broken.getEntry().remove(1));
              all.add(
                  Arguments.of(
                      "CareCommunication",
                      sample.getFileName() + " reordered",
                      CODEC.encode(broken, FhirFormat.XML)));
            });
    return all.stream();
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("messages")
  void referencePath_givesExactlyTheStockIssues(String type, String name, String message) {
    ConformanceChain chain = MedComChains.get().forType(type);

    ValidationReport stock = chain.validateStock(message);
    ValidationReport reference = chain.validate(message);
    ValidationReport again = chain.validate(message);

    assertThat(reference.issues()).as(name).containsExactlyElementsOf(stock.issues());
    assertThat(again.issues())
        .as(name + ", instance reused")
        .containsExactlyElementsOf(stock.issues());
  }
}
