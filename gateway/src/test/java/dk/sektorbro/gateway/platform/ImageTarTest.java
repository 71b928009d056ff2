package dk.sektorbro.gateway.platform;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * The OCI image Jib wrote (profile {@code image}, docs/operations.md "Container image"): how it
 * starts, as whom, what it exposes and that the gateway is in it. Runs only in that profile, which
 * passes the tar's path; the default build has no image to read.
 */
@EnabledIfSystemProperty(
    named = "sektorbro.image.tar",
    matches = ".+",
    disabledReason = "only in the image profile: ./mvnw -Pimage -pl gateway verify -DskipTests")
class ImageTarTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void imageStartsTheGatewayAsANonRootUser_exitsOnOutOfMemory_andExposesItsPortAndDataVolume()
      throws Exception {
    Map<String, byte[]> files =
        untar(Files.newInputStream(Path.of(System.getProperty("sektorbro.image.tar"))));
    JsonNode manifest = manifest(files);
    JsonNode config =
        JSON.readTree(blob(files, manifest.get("config").get("digest").asText())).get("config");

    List<String> entrypoint = new ArrayList<>();
    config.get("Entrypoint").forEach(e -> entrypoint.add(e.asText()));
    assertThat(entrypoint.get(0)).isEqualTo("java");
    assertThat(entrypoint)
        .contains("-XX:+ExitOnOutOfMemoryError", "dk.sektorbro.gateway.GatewayApplication");
    String user = config.get("User").asText();
    assertThat(user).isEqualTo("10001:0");
    assertThat(user.split(":")[0]).isNotIn("0", "root", "");
    assertThat(config.get("ExposedPorts").has("8080/tcp")).isTrue();
    assertThat(config.get("Volumes").has("/var/lib/sektorbro/data")).isTrue();
    assertThat(config.get("Env").toString()).contains("GATEWAY_DATA_DIR=/var/lib/sektorbro/data");
    assertThat(config.get("WorkingDir").asText()).isEqualTo("/var/lib/sektorbro");

    // The gateway's layers: its classes and the shipped defaults (mappings, profiles, registry).
    List<String> paths = new ArrayList<>();
    for (JsonNode layer : manifest.get("layers")) {
      byte[] gz = blob(files, layer.get("digest").asText());
      paths.addAll(untar(new GZIPInputStream(new ByteArrayInputStream(gz))).keySet());
    }
    assertThat(paths).anyMatch(p -> p.endsWith("dk/sektorbro/gateway/GatewayApplication.class"));
    assertThat(paths).anyMatch(p -> p.contains("shipped/mappings/nordby-socialpsykiatri.yaml"));
    assertThat(paths).anyMatch(p -> p.endsWith("var/lib/sektorbro/data/README.txt"));
  }

  // An OCI layout (index.json) or a docker-load tar (manifest.json).
  private static JsonNode manifest(Map<String, byte[]> files) throws IOException {
    if (files.containsKey("index.json")) {
      JsonNode index = JSON.readTree(files.get("index.json"));
      return JSON.readTree(blob(files, index.get("manifests").get(0).get("digest").asText()));
    }
    JsonNode docker = JSON.readTree(files.get("manifest.json")).get(0);
    Map<String, Object> manifest = new LinkedHashMap<>();
    manifest.put("config", Map.of("digest", "file:" + docker.get("Config").asText()));
    List<Map<String, String>> layers = new ArrayList<>();
    docker.get("Layers").forEach(l -> layers.add(Map.of("digest", "file:" + l.asText())));
    manifest.put("layers", layers);
    return JSON.valueToTree(manifest);
  }

  private static byte[] blob(Map<String, byte[]> files, String digest) {
    String name =
        digest.startsWith("file:") ? digest.substring(5) : "blobs/" + digest.replace(':', '/');
    byte[] bytes = files.get(name);
    assertThat(bytes).as("%s in the image tar", name).isNotNull();
    return bytes;
  }

  /**
   * Regular files of a tar stream (ustar headers of 512 bytes; GNU/PAX long names are not needed
   * here).
   */
  private static Map<String, byte[]> untar(InputStream in) throws IOException {
    Map<String, byte[]> files = new LinkedHashMap<>();
    try (in) {
      byte[] header = new byte[512];
      while (in.readNBytes(header, 0, 512) == 512 && header[0] != 0) {
        String name = field(header, 0, 100);
        String prefix = field(header, 345, 155);
        long size =
            Long.parseLong(
                field(header, 124, 12).trim().isEmpty() ? "0" : field(header, 124, 12).trim(), 8);
        byte type = header[156];
        byte[] content = in.readNBytes((int) size);
        in.skipNBytes((512 - size % 512) % 512);
        if (type == '0' || type == 0) {
          files.put(prefix.isEmpty() ? name : prefix + "/" + name, content);
        }
      }
    }
    return files;
  }

  private static String field(byte[] header, int offset, int length) {
    int end = offset;
    while (end < offset + length && header[end] != 0) {
      end++;
    }
    return new String(header, offset, end - offset, StandardCharsets.US_ASCII);
  }
}
