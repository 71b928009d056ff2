package dk.sektorbro.gateway.intake;

import static org.assertj.core.api.Assertions.assertThat;

import dk.sektorbro.gateway.StartupChecks;
import dk.sektorbro.gateway.support.TestFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

/**
 * The file drop has no identity but the folder: a source's inbox that every local account may write
 * to makes every account that source. The start-up checks refuse it (and an inbox root anyone may
 * write to, where anyone could make a source's folder first), and let group write through: it is
 * how a source system's account is given its folder.
 */
class InboxTrustTest {

  @TempDir Path data;

  @Test
  void aSourcesFolderWritableByEveryone_stopsTheStart_namingTheFolderAndTheSource()
      throws IOException {
    Path folder = Files.createDirectories(data.resolve("inbox/nordby-socialpsykiatri"));
    Files.setPosixFilePermissions(folder, PosixFilePermissions.fromString("rwxrwxrwx"));

    assertThat(inboxProblems())
        .singleElement()
        .asString()
        .contains(folder.toString())
        .contains("rwxrwxrwx")
        .contains("as source nordby-socialpsykiatri")
        .contains("chmod o-w");
  }

  @Test
  void anInboxWritableByEveryone_stopsTheStart() throws IOException {
    Path inbox = Files.createDirectories(data.resolve("inbox"));
    Files.setPosixFilePermissions(inbox, PosixFilePermissions.fromString("rwxrwxrwx"));

    assertThat(inboxProblems()).singleElement().asString().contains("as every source");
  }

  @Test
  void groupWritableFoldersOfTheirSources_andMissingOnes_pass() throws IOException {
    Path inbox = Files.createDirectories(data.resolve("inbox"));
    Path home = Files.createDirectories(inbox.resolve("nordby-hjemmepleje"));
    Files.setPosixFilePermissions(home, PosixFilePermissions.fromString("rwxrwx---"));
    Files.setPosixFilePermissions(inbox, PosixFilePermissions.fromString("rwxr-x---"));

    assertThat(inboxProblems()).isEmpty();
    assertThat(InboxTrust.problems(data.resolve("nowhere"), List.of("x"))).isEmpty();
  }

  private List<String> inboxProblems() {
    StandardEnvironment environment = new StandardEnvironment();
    environment
        .getPropertySources()
        .addFirst(
            new MapPropertySource(
                "test",
                new HashMap<>(
                    Map.of(
                        "gateway.data-dir", data.toString(),
                        "gateway.mappings-dir", TestFiles.MAPPINGS.toString()))));
    return StartupChecks.check(environment).stream()
        .filter(p -> p.startsWith("inbox folder"))
        .toList();
  }
}
