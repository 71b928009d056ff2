package dk.sektorbro.gateway.inbound;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * The hand-over file's states across a crash, on real files: each state is what a kill at one point
 * of {@link HandoverFiles#place} leaves (HandoverCrashTest kills a real process in the last one).
 */
class HandoverFilesTest {

  @TempDir Path root;

  private Path folder() {
    return root.resolve("import");
  }

  private HandoverFiles files() {
    return new HandoverFiles(root.resolve("data").resolve("handover-written"));
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private long markers() throws Exception {
    Path dir = root.resolve("data").resolve("handover-written");
    if (!Files.exists(dir)) {
      return 0;
    }
    try (Stream<Path> all = Files.walk(dir)) {
      return all.filter(Files::isRegularFile).count();
    }
  }

  @Test
  void placesTheFileWhole_andLeavesNoHiddenFileBehind() throws Exception {
    HandoverFiles.Placed placed = files().place(folder(), "m1.json", bytes("{}"));

    assertThat(placed.written()).isTrue();
    assertThat(placed.path()).hasContent("{}");
    try (Stream<Path> list = Files.list(folder())) {
      assertThat(list.map(p -> p.getFileName().toString())).containsExactly("m1.json");
    }
  }

  @Test
  void notCommitted_theImporterTookTheFile_theResendWritesNothing() throws Exception {
    files().place(folder(), "m1.json", bytes("{}"));
    Files.delete(folder().resolve("m1.json"));

    HandoverFiles.Placed again = files().place(folder(), "m1.json", bytes("{}"));

    assertThat(again.written()).isFalse();
    assertThat(folder().resolve("m1.json")).doesNotExist();
  }

  @Test
  void notCommitted_theFileIsStillThere_isNotWrittenAgain() throws Exception {
    files().place(folder(), "m1.json", bytes("first"));

    HandoverFiles.Placed again = files().place(folder(), "m1.json", bytes("second"));

    assertThat(again.written()).isFalse();
    assertThat(folder().resolve("m1.json")).hasContent("first");
  }

  @Test
  void killedBetweenTheMarkerAndTheRename_theResendRenamesThePendingFile() throws Exception {
    files().place(folder(), "m1.json", bytes("{}"));
    // What a kill after the marker and before the rename leaves: the file only under its hidden
    // name.
    Files.move(folder().resolve("m1.json"), folder().resolve(".m1.json.pending"));

    HandoverFiles.Placed again = files().place(folder(), "m1.json", bytes("{}"));

    assertThat(again.written()).isTrue();
    assertThat(folder().resolve("m1.json")).hasContent("{}");
    assertThat(folder().resolve(".m1.json.pending")).doesNotExist();
  }

  @Test
  void killedBeforeTheMarker_theResendWritesThePendingFileAgain_andPlacesIt() throws Exception {
    Files.createDirectories(folder());
    Files.writeString(folder().resolve(".m1.json.pending"), "{\"half");

    HandoverFiles.Placed placed = files().place(folder(), "m1.json", bytes("{}"));

    assertThat(placed.written()).isTrue();
    assertThat(folder().resolve("m1.json")).hasContent("{}");
    assertThat(folder().resolve(".m1.json.pending")).doesNotExist();
  }

  @Test
  void theMarkerGoesOnceTheJournalRowIsCommitted_andStaysOnRollback() throws Exception {
    TransactionSynchronizationManager.initSynchronization();
    try {
      files().place(folder(), "committed.json", bytes("{}"));
      TransactionSynchronizationManager.getSynchronizations()
          .forEach(TransactionSynchronization::afterCommit);
    } finally {
      TransactionSynchronizationManager.clearSynchronization();
    }
    assertThat(markers()).isZero();

    TransactionSynchronizationManager.initSynchronization();
    try {
      files().place(folder(), "rolledback.json", bytes("{}"));
      // a rollback calls afterCompletion only
    } finally {
      TransactionSynchronizationManager.clearSynchronization();
    }
    assertThat(markers()).isEqualTo(1);
  }
}
