package dk.sektorbro.gateway.intake;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What is taken up from subfolders and what is left, on a real folder (links, which need the
 * journal, are in FileDropEndToEndTest).
 */
class InboxSubfoldersTest {

  private static final Duration STABLE = Duration.ofSeconds(5);

  @TempDir Path inbox;

  @Test
  void stableFiles_areMovedUpUnderTheirFoldersNames_theRestStays() throws IOException {
    Path year = Files.createDirectories(inbox.resolve("2026"));
    old(Files.writeString(year.resolve("a.json"), "a"));
    old(Files.writeString(Files.createDirectories(year.resolve("12")).resolve("b.json"), "b"));
    // Still being written (changed just now), hidden, temporary, or in a hidden folder: left.
    Files.writeString(year.resolve("fresh.json"), "f");
    old(Files.writeString(year.resolve(".hidden.json"), "h"));
    old(Files.writeString(year.resolve("c.json.part"), "p"));
    old(Files.writeString(Files.createDirectories(inbox.resolve(".batch")).resolve("d.json"), "d"));
    // A file already in the inbox under the name a moved file would take keeps it.
    Files.writeString(inbox.resolve("2026--a.json"), "mine");

    new InboxSubfolders("s", inbox, STABLE, null).sweep();

    assertThat(inbox.resolve("2026--a.json")).hasContent("mine");
    assertThat(inbox.resolve("2026--12--b.json")).hasContent("b");
    try (Stream<Path> files = Files.list(inbox)) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .anyMatch(n -> n.matches("2026--a-[0-9a-f]{8}\\.json"))
          // A moved d.json would end "--d.json"; a tag may end in 'd' itself
          // ("2026--a-3d59e91d.json").
          .noneMatch(n -> n.contains("fresh") || n.contains("hidden") || n.endsWith("--d.json"));
    }
    assertThat(year.resolve("a.json")).doesNotExist();
    assertThat(year.resolve("fresh.json")).exists();
    assertThat(year.resolve(".hidden.json")).exists();
    assertThat(year.resolve("c.json.part")).exists();
    assertThat(inbox.resolve(".batch").resolve("d.json")).exists();
    assertThat(year.resolve("12")).isDirectory();
  }

  @Test
  void aSecondSweepWithinASecond_doesNothing() throws IOException {
    InboxSubfolders subfolders = new InboxSubfolders("s", inbox, STABLE, null);
    subfolders.sweep();
    Path year = Files.createDirectories(inbox.resolve("2026"));
    old(Files.writeString(year.resolve("a.json"), "a"));

    subfolders.sweep();

    assertThat(year.resolve("a.json")).exists();
  }

  private static void old(Path file) throws IOException {
    Files.setLastModifiedTime(file, FileTime.from(Instant.now().minus(Duration.ofMinutes(1))));
  }
}
