package dk.sektorbro.gateway.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DurableFilesTest {

  @TempDir Path dir;

  @Test
  void streamInto_writesTheWholeStream() throws IOException {
    byte[] content = new byte[3 * 1024 * 1024 + 17];
    new Random(7).nextBytes(content);
    Path target = dir.resolve("copy.bin");

    DurableFiles.streamInto(new ByteArrayInputStream(content), target);

    assertThat(Files.readAllBytes(target)).isEqualTo(content);
  }

  @Test
  void streamInto_neverReplacesAnExistingFile() throws IOException {
    Path target = Files.writeString(dir.resolve("kept.bin"), "first");

    assertThatThrownBy(
            () ->
                DurableFiles.streamInto(
                    new ByteArrayInputStream("second".getBytes(StandardCharsets.UTF_8)), target))
        .isInstanceOf(FileAlreadyExistsException.class);
    assertThat(Files.readString(target)).isEqualTo("first");
  }

  @Test
  void streamInto_aStreamThatFailsHalfWay_leavesNoPartialCopy() {
    InputStream failing =
        new SequenceInputStream(
            new ByteArrayInputStream(new byte[100_000]),
            new InputStream() {
              @Override
              public int read() throws IOException {
                throw new IOException("the inbox file went away");
              }
            });
    Path target = dir.resolve("partial.bin");

    assertThatThrownBy(() -> DurableFiles.streamInto(failing, target))
        .hasMessage("the inbox file went away");
    assertThat(target).doesNotExist();
  }
}
