package dk.sektorbro.gateway.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** The repository's sample records: valid ones at test-messages/<source>/, bad ones in invalid/. */
public final class TestFiles {

  public static final Path REPO = Path.of("").toAbsolutePath().getParent();
  public static final Path TEST_MESSAGES = REPO.resolve("test-messages");
  public static final Path MAPPINGS = REPO.resolve("mappings");

  /** The sample most delivery tests send: the social psychiatry's medication question to the GP. */
  public static final Path MEDICATION_QUESTION =
      TEST_MESSAGES.resolve("nordby-socialpsykiatri/medicin-spoergsmaal.json");

  private TestFiles() {}

  public static List<Path> validSamples(String source) {
    return files(TEST_MESSAGES.resolve(source));
  }

  public static List<Path> invalidSamples(String source) {
    return files(TEST_MESSAGES.resolve(source).resolve("invalid"));
  }

  public static Path expected(Path sample) {
    String name = sample.getFileName().toString();
    return sample
        .getParent()
        .resolve("expected")
        .resolve(name.substring(0, name.lastIndexOf('.')) + ".json");
  }

  /**
   * The medication question under record id {@code recordId}: one a test has to itself, so a shared
   * application does not take it for a duplicate of another test's.
   */
  public static byte[] medicationQuestion(String recordId) {
    String sample = new String(read(MEDICATION_QUESTION), StandardCharsets.UTF_8);
    assertThat(sample).as("the sample's record id").contains("\"SP-2026-000103\"");
    return sample.replace("SP-2026-000103", recordId).getBytes(StandardCharsets.UTF_8);
  }

  public static byte[] read(Path file) {
    try {
      return Files.readAllBytes(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static List<Path> files(Path folder) {
    try (Stream<Path> files = Files.list(folder)) {
      return files.filter(Files::isRegularFile).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
