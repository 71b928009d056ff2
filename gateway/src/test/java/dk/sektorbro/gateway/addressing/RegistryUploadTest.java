package dk.sektorbro.gateway.addressing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * Uploads are spooled with a hash and a size limit; the format is sniffed past a BOM and blanks.
 */
class RegistryUploadTest {

  @Test
  void sniffsXmlAndJson_pastByteOrderMarkAndWhitespace() throws IOException {
    byte[] xml = "\uFEFF \n <SorTree/>".getBytes(StandardCharsets.UTF_8);
    try (RegistryUpload upload = RegistryUpload.spool(new ByteArrayInputStream(xml), 1000)) {
      assertThat(upload.firstSignificantChar()).isEqualTo('<');
      assertThat(upload.sha256()).hasSize(64);
    }
    try (RegistryUpload upload =
        RegistryUpload.spool(new ByteArrayInputStream(" {}".getBytes()), 1000)) {
      assertThat(upload.firstSignificantChar()).isEqualTo('{');
    }
  }

  @Test
  void largerThanTheLimit_isRefused() {
    assertThatThrownBy(() -> RegistryUpload.spool(new ByteArrayInputStream(new byte[2000]), 1000))
        .isInstanceOf(ImportFailure.class)
        .hasMessageContaining("larger than");
  }
}
