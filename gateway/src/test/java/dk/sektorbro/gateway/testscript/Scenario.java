package dk.sektorbro.gateway.testscript;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * How the gateway plays one MedCom TestScript: {@code test-messages/testscripts/<TestScript
 * id>.yaml} (format in docs/testscripts.md). Either {@code notApplicable} with the reason, or per
 * fixture id of the script, in the order they happen, one of:
 *
 * <ul>
 *   <li>{@code send}: the message the gateway sends from a source record ({@code source} mapping,
 *       {@code record} path from the repository root) through its real pipeline;
 *   <li>{@code receive}: a message posted to the gateway's {@code /fhir/$process-message}, read
 *       from an official package in ../shared/medcom ({@code package} file, {@code file} inside
 *       it), optionally changed ({@code change}) and with the hand-over folder blocked ({@code
 *       blockHandover}: an internal failure, for transient-error);
 *   <li>{@code answerTo}: the acknowledgement the gateway answered to that received fixture.
 * </ul>
 *
 * A step whose key is not one of the script's fixture ids happens too (e.g. a message received
 * before the gateway forwards it) but no assert reads it. {@code note} says how the scenario reads
 * the script where MedCom's material leaves a choice (shown in docs/testscripts.md); {@code
 * deviations} names, by assert description, the asserts the gateway knowingly does not meet and
 * why: the script is then expected to FAIL on exactly these.
 */
public record Scenario(
    String notApplicable, Map<String, Step> fixtures, String note, Map<String, String> deviations) {

  public Scenario {
    fixtures = fixtures == null ? Map.of() : new LinkedHashMap<>(fixtures);
    deviations = deviations == null ? Map.of() : new LinkedHashMap<>(deviations);
  }

  public record Step(Send send, Receive receive, String answerTo) {}

  public record Send(String source, String record) {}

  public record Receive(
      @JsonProperty("package") String packageFile,
      String file,
      List<String> change,
      boolean blockHandover) {
    public Receive {
      change = change == null ? List.of() : List.copyOf(change);
    }
  }

  private static final ObjectMapper YAML =
      new ObjectMapper(new YAMLFactory())
          .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true);

  /** The scenario for this TestScript id, if the folder has one. */
  public static Optional<Scenario> find(Path folder, String scriptId) {
    Path file = folder.resolve(scriptId + ".yaml");
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    try {
      return Optional.of(YAML.readValue(file.toFile(), Scenario.class));
    } catch (IOException e) {
      throw new UncheckedIOException("scenario cannot be read: " + file, e);
    }
  }
}
