package dk.sektorbro.gateway.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** The repository's sample records: valid ones at test-messages/<source>/, bad ones in invalid/. */
public final class TestFiles {

  public static final Path REPO = Path.of("").toAbsolutePath().getParent();
  public static final Path TEST_MESSAGES = REPO.resolve("test-messages");
  public static final Path MAPPINGS = REPO.resolve("mappings");

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
