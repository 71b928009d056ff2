package dk.sektorbro.gateway.delivery.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dk.sektorbro.gateway.delivery.settings.DeliveryProperties;
import dk.sektorbro.gateway.delivery.settings.DeliveryProperties.EnvelopeKind;
import dk.sektorbro.gateway.delivery.settings.DeliveryProperties.RecipientRoute;
import dk.sektorbro.gateway.delivery.settings.DeliveryProperties.TransportKind;
import dk.sektorbro.gateway.platform.GatewayProperties;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The postbox file: whole, named by the MessageHeader id, and only under a safe name. */
class PostboxWriterTest {

  private static final String GLN = "5790000120314";

  @TempDir Path data;

  @Test
  void write_leavesExactlyTheBytes_underTheMessageHeaderId_andReplacesTheSameMessage()
      throws IOException {
    PostboxWriter writer = writer();
    byte[] bytes = "<Bundle>Søren \u2192 \ud83d\ude91</Bundle>".getBytes(StandardCharsets.UTF_8);
    Path written = writer.write(GLN, "header-1", "xml", bytes);

    assertThat(written).isEqualTo(data.resolve("outbox").resolve(GLN).resolve("header-1.xml"));
    assertThat(Files.readAllBytes(written)).isEqualTo(bytes);
    writer.write(GLN, "header-1", "xml", "again");
    assertThat(Files.readString(written)).isEqualTo("again");
    assertThat(files()).as("no temp file left, one file per message").containsExactly(written);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = ';',
      value = {
        "5790000120314;../header;xml",
        "5790000120314;header/1;xml",
        "5790000120314;header 1;xml",
        "5790000120314;'';xml",
        "5790000120314;header-1;XML",
        "5790000120314;header-1;x/ml",
        "5790000120314;header-1;''",
        "5790000120315;header-1;xml",
        "579000012031;header-1;xml"
      })
  void write_refusesAnUnsafeName_orAnInvalidGln(String gln, String id, String extension) {
    assertThatThrownBy(() -> writer().write(gln, id, extension, new byte[] {1}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("postbox address or message id is not safe as a file name");
    assertThat(Files.exists(data.resolve("outbox"))).isFalse();
  }

  @Test
  void write_takesTheLongestSafeNames() throws IOException {
    String id = "a".repeat(63) + "-";
    String extension = "vans.xml.p7m.abc";
    assertThat(writer().write(GLN, id, extension, new byte[] {1}).getFileName().toString())
        .isEqualTo(id + "." + extension);
    assertThatThrownBy(() -> writer().write(GLN, id + "b", "xml", new byte[] {1}))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> writer().write(GLN, "x", extension + "d", new byte[] {1}))
        .isInstanceOf(IllegalArgumentException.class);
    // The whole name must match, not a part of it.
    assertThatThrownBy(() -> writer().write(GLN, "x\n", "xml", new byte[] {1}))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> writer().write(GLN, "x", "xml\n", new byte[] {1}))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private PostboxWriter writer() {
    RecipientRoute postbox =
        new RecipientRoute(TransportKind.POSTBOX, EnvelopeKind.NONE, null, false, null);
    return new PostboxWriter(
        new GatewayProperties(data, data.resolve("mappings"), null, null, null),
        new DeliveryProperties(
            postbox,
            Map.of(),
            null,
            null,
            null,
            null,
            3,
            Duration.ofSeconds(1),
            Duration.ofSeconds(1)));
  }

  private java.util.List<Path> files() throws IOException {
    try (Stream<Path> walk = Files.walk(data.resolve("outbox"))) {
      return walk.filter(Files::isRegularFile).toList();
    }
  }
}
