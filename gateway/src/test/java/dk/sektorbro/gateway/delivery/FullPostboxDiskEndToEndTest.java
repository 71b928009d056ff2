package dk.sektorbro.gateway.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dk.sektorbro.gateway.support.GatewayIntegrationTest;
import dk.sektorbro.gateway.support.SampleConsents;
import dk.sektorbro.gateway.support.TestFiles;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.util.FileSystemUtils;

/**
 * The postbox's disk full, for real: a 256 KB tmpfs mounted on the recipient's postbox folder and
 * filled up, so the write fails with ENOSPC ("No space left on device") as on a full volume. The
 * message must wait (RETRYING, the reason in its history), leave no partial or temporary file
 * behind, and arrive whole once space is freed; health shows the recipient as failing meanwhile.
 * Mounting needs root with CAP_SYS_ADMIN (this machine's and CI's containers run as root); where it
 * is refused the test is skipped and says so.
 */
class FullPostboxDiskEndToEndTest extends GatewayIntegrationTest {

  private static final String GP_GLN = "5790009900054";

  @Autowired JdbcClient jdbc;
  @Autowired DeliveryBookkeeping bookkeeping;

  @Test
  void aFullPostboxDisk_holdsTheMessageForRetry_leavesNoPartialFile_deliversItWholeOnceFreed()
      throws Exception {
    SampleConsents.recordAll(adminClient());
    Path postbox = outbox(GP_GLN);
    Path aside = postbox.resolveSibling(GP_GLN + ".aside-full-disk");
    Files.createDirectories(postbox);
    Files.move(postbox, aside);
    Files.createDirectories(postbox);
    try {
      Assumptions.assumeTrue(
          run("mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", postbox.toString()) == 0,
          "mounting a tmpfs needs root with CAP_SYS_ADMIN");
      try {
        Path filler = postbox.resolve("filler");
        fill(filler);

        String id = submitJson("nordby-socialpsykiatri", record());
        await().atMost(Duration.ofSeconds(60)).until(() -> "RETRYING".equals(state(id)));
        assertThat(journalEntry(id).get("history").toString())
            .as("the reason an operator reads")
            .contains("No space left on device");
        assertThat(files(postbox))
            .as("no partial message, no temporary file on the full disk")
            .containsExactly(filler);
        // Still full: two more attempts make the recipient one that fails in a row
        // (gateway.delivery.failing-after: 3), which health and the metrics name.
        for (int attempt = 2; attempt <= 3; attempt++) {
          String failed = "transport failed (attempt " + attempt + ": ";
          assertThat(bookkeeping.retryNow(id)).isTrue();
          await()
              .atMost(Duration.ofSeconds(60))
              .until(() -> journalEntry(id).get("history").toString().contains(failed));
        }
        assertThat(files(postbox)).containsExactly(filler);
        assertThat(
                operatorClient()
                    .get("/actuator/health")
                    .json()
                    .get("components")
                    .get("delivery")
                    .toString())
            .as("health names the recipient whose postbox fails")
            .contains(GP_GLN, "No space left on device");

        assertThat(
                operatorClient()
                    .get("/actuator/health")
                    .json()
                    .get("components")
                    .get("diskSpace")
                    .get("details")
                    .get("path")
                    .asText())
            .as("health's free space is the data folder's")
            .isEqualTo(dataDir().toAbsolutePath().toString());

        Files.delete(filler);
        assertThat(bookkeeping.retryNow(id)).isTrue();
        await().atMost(Duration.ofSeconds(60)).until(() -> "SENT".equals(state(id)));
        Path written = Path.of(journalEntry(id).get("outboxPath").asText());
        assertThat(written.getParent()).isEqualTo(postbox);
        String journaled =
            jdbc.sql("SELECT fhir_message FROM journal_entry WHERE id = :id")
                .param("id", id)
                .query(String.class)
                .single();
        assertThat(Files.readString(written, StandardCharsets.UTF_8))
            .as("the message whole, as journaled")
            .isEqualTo(journaled);
        assertThat(files(postbox)).containsExactly(written);
      } finally {
        run("umount", "-l", postbox.toString());
      }
    } finally {
      FileSystemUtils.deleteRecursively(postbox);
      Files.move(aside, postbox);
    }
  }

  private static byte[] record() {
    return TestFiles.medicationQuestion(freshRecordId("SP-FULL-DISK"));
  }

  private static void fill(Path filler) throws IOException {
    byte[] block = new byte[4096];
    try (OutputStream out = Files.newOutputStream(filler)) {
      while (true) {
        out.write(block);
      }
    } catch (IOException full) {
      assertThat(full.getMessage()).contains("No space left on device");
    }
  }

  private static List<Path> files(Path folder) throws IOException {
    try (Stream<Path> listed = Files.list(folder)) {
      return listed.toList();
    }
  }

  private static int run(String... command) throws IOException, InterruptedException {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    process.getInputStream().readAllBytes();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      return -1;
    }
    return process.exitValue();
  }
}
