package dk.sektorbro.gateway.validation;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The examples MedCom ships in each package validate cleanly in their chain: proof the chain is
 * right.
 */
// Validates with the official MedCom chains (slow): runs in verify, not in ./mvnw test.
@Tag("integration")
class OfficialExamplesTest {

  static Stream<Arguments> examples() {
    return Stream.of(
            "CareCommunication", "Acknowledgement", "HospitalNotification", "CarePlanDocument")
        .flatMap(
            type -> {
              List<String> bundles = MedComChains.get().officialExamples(type);
              assertThat(bundles).as("examples of %s", type).isNotEmpty();
              return bundles.stream().map(b -> Arguments.of(type, idOf(b), b));
            });
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("examples")
  void officialExample_validatesWithoutErrors(String type, String bundleId, String bundle) {
    ValidationReport report = MedComChains.get().forType(type).validate(bundle);

    assertThat(report.chain()).startsWith("MedCom");
    assertThat(report.errors()).isEmpty();
  }

  private static String idOf(String json) {
    int at = json.indexOf("\"id\"");
    return at < 0 ? "?" : json.substring(at, Math.min(json.length(), at + 50)).split(",")[0];
  }
}
