package dk.sektorbro.gateway.validation;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import dk.sektorbro.gateway.medcom.FhirMessageCodec;
import dk.sektorbro.gateway.medcom.SampleMessages;
import dk.sektorbro.gateway.platform.GatewayProperties.FhirFormat;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.hl7.fhir.r4.model.Bundle;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every valid sample, mapped and built as in production, is a valid CareCommunication 5.0.2
 * message.
 */
// Validates with the official MedCom chains (slow): runs in verify, not in ./mvnw test.
@Tag("integration")
class TestMessagesConformanceTest {

  private static final FhirMessageCodec CODEC = new FhirMessageCodec(FhirContext.forR4Cached());

  static Stream<Arguments> samples() {
    List<Path> samples = SampleMessages.validSamples();
    assertThat(samples).hasSizeGreaterThanOrEqualTo(10);
    return samples.stream()
        .flatMap(
            s ->
                Stream.of(FhirFormat.values())
                    .map(
                        f ->
                            Arguments.of(
                                s.getParent().getFileName() + "/" + s.getFileName(), f, s)));
  }

  @ParameterizedTest(name = "{0} as {1}")
  @MethodSource("samples")
  void sample_translatesToAValidCareCommunication(String name, FhirFormat format, Path sample) {
    Bundle bundle = SampleMessages.bundle(SampleMessages.record(sample));

    ValidationReport report =
        MedComChains.get().forType("CareCommunication").validate(CODEC.encode(bundle, format));

    assertThat(report.chain()).contains("carecommunication#5.0.2");
    assertThat(report.errors()).isEmpty();
  }
}
