package dk.sektorbro.gateway.intake;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.junit.jupiter.api.parallel.Resources;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.Status;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * Files where no configured source reads them (in the inbox itself, or in a folder that names no
 * source) are counted by folder in health, the gauge and one WARN per change, never named; the
 * sources' own folders and a writer's temporary names are not counted.
 */
// Spring's output capture is one stack for the whole test engine: a class capturing beside this one
// (the fast tier runs classes side by side) could pop this class's capture, and its log lines would
// go unseen (seen once: "no more files ..." missing). Classes that capture run one at a time.
@ResourceLock(Resources.SYSTEM_OUT)
@ResourceLock(Resources.SYSTEM_ERR)
@ExtendWith(OutputCaptureExtension.class)
class UnreadInboxFilesTest {

  private static final String CPR_NAMED = "0101701234-notat.json";

  @TempDir Path inbox;

  @Test
  void filesOutsideTheSourcesFolders_areCountedByFolder_andSaidOnce_withoutTheirNames(
      CapturedOutput output) throws IOException {
    SimpleMeterRegistry meters = new SimpleMeterRegistry();
    UnreadInboxFiles unread = new UnreadInboxFiles(inbox, Set.of("nordby-sp"), meters, false);
    write(inbox.resolve("nordby-sp/read-by-its-source.json"));
    write(inbox.resolve("nordby-sp/2026/moved-up-by-its-source.json"));
    write(inbox.resolve("being-written.json.part"));
    write(inbox.resolve(".hidden.json"));
    Files.createDirectories(inbox.resolve("empty-old-folder"));
    assertThat(unread.look()).isEmpty();
    assertThat(unread.health().getStatus()).isEqualTo(Status.UP);

    write(inbox.resolve(CPR_NAMED));
    write(inbox.resolve("nordby-sp-typo/" + CPR_NAMED));
    write(inbox.resolve("nordby-sp-typo/2026/b.json"));
    write(inbox.resolve("nordby-sp-typo/c.json.tmp"));
    write(inbox.resolve("0101701234/d.json"));

    Health health = unread.health();
    assertThat(health.getStatus()).isEqualTo(Status.UP);
    assertThat(health.getDetails())
        .containsEntry("unreadFiles", 4)
        .containsEntry(
            "unreadByFolder",
            Map.of(
                "inbox/", 1,
                "inbox/nordby-sp-typo/", 2,
                "inbox/(a folder named with a CPR-like number)/", 1));
    assertThat(meters.get("gateway.intake.unread.files").gauge().value()).isEqualTo(4.0);
    assertThat(output.getOut())
        .contains("files lie in the inbox where no source reads them")
        .contains("inbox/ files=1, inbox/(a folder named with a CPR-like number)/ files=1,")
        .contains("inbox/nordby-sp-typo/ files=2")
        .contains("configured sources: nordby-sp")
        .doesNotContain("0101701234")
        .doesNotContain("notat");

    // Unchanged: not said again. Moved where its source reads it: said that it is over.
    unread.look();
    assertThat(count(output.getOut(), "files lie in the inbox")).isEqualTo(1);
    Files.move(inbox.resolve(CPR_NAMED), inbox.resolve("nordby-sp/" + CPR_NAMED));
    Files.delete(inbox.resolve("nordby-sp-typo/" + CPR_NAMED));
    Files.delete(inbox.resolve("nordby-sp-typo/2026/b.json"));
    Files.delete(inbox.resolve("0101701234/d.json"));
    assertThat(unread.look()).isEmpty();
    assertThat(meters.get("gateway.intake.unread.files").gauge().value()).isZero();
    assertThat(output.getOut()).contains("no more files in the inbox outside the sources' folders");
  }

  @Test
  void aMissingInbox_isNothingUnread() {
    UnreadInboxFiles unread =
        new UnreadInboxFiles(
            inbox.resolve("not-there"), Set.of("a"), new SimpleMeterRegistry(), false);
    assertThat(unread.look()).isEmpty();
  }

  private static void write(Path file) throws IOException {
    Files.createDirectories(file.getParent());
    Files.writeString(file, "{\"cpr\":\"010170-1234\"}", StandardCharsets.UTF_8);
  }

  private static int count(String text, String part) {
    return text.split(java.util.regex.Pattern.quote(part), -1).length - 1;
  }
}
