package dk.sektorbro.gateway.platform.logrotation;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;

/**
 * The JSON log file of docs/operations.md ("Logs"), set only through the documented environment
 * variables and the gateway's application.yml: every line is one JSON object, and the file is
 * rotated (compressed) at its size limit. Run in a separate JVM, so this JVM's logging stays as it
 * is.
 */
@Tag("integration")
class LogRotationTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int LINES = 3000;

  @TempDir Path temp;

  @Test
  void jsonLogFile_isRotatedAtItsSizeLimit_andEveryLineIsJson() throws Exception {
    Path logFile = temp.resolve("logs/gateway.log");
    ProcessBuilder builder =
        new ProcessBuilder(
                ProcessHandle.current().info().command().orElse("java"),
                "-cp",
                System.getProperty("java.class.path"),
                Writer.class.getName())
            .redirectErrorStream(true)
            .redirectOutput(temp.resolve("console.txt").toFile());
    builder.environment().put("GATEWAY_LOG_FILE", logFile.toString());
    builder.environment().put("GATEWAY_LOG_FILE_FORMAT", "ecs");
    builder.environment().put("GATEWAY_LOG_MAX_FILE_SIZE", "64KB");
    Process process = builder.start();
    assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as(Files.readString(temp.resolve("console.txt"))).isZero();

    List<Path> rotated;
    try (Stream<Path> files = Files.list(logFile.getParent())) {
      rotated = files.filter(f -> f.getFileName().toString().endsWith(".gz")).sorted().toList();
    }
    assertThat(rotated).as("rotated files").hasSizeGreaterThanOrEqualTo(2);
    assertThat(Files.size(logFile))
        .as("the active file stays near its limit")
        .isLessThan(512 * 1024);
    List<String> lines = new ArrayList<>(Files.readAllLines(logFile));
    for (Path file : rotated) {
      assertThat(file.getFileName().toString()).startsWith("gateway.log.");
      try (InputStream in = new GZIPInputStream(Files.newInputStream(file))) {
        lines.addAll(new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList());
      }
    }
    int written = 0;
    for (String line : lines) {
      JsonNode event = JSON.readTree(line);
      assertThat(event.has("@timestamp")).as(line).isTrue();
      if (event.path("message").asText().startsWith("rotation test line ")) {
        written++;
        assertThat(event.path("log").path("logger").asText()).isEqualTo(Writer.class.getName());
      }
    }
    // Nothing was lost across the rotations.
    assertThat(written).isEqualTo(LINES);
  }

  /**
   * Starts Spring Boot with the gateway's application.yml (logging only) and writes log lines. It
   * lives in a package of its own: a @SpringBootConfiguration is what every @SpringBootTest of its
   * package would otherwise start instead of the gateway.
   */
  @SpringBootConfiguration
  public static class Writer {
    public static void main(String[] args) throws Exception {
      SpringApplication app = new SpringApplication(Writer.class);
      app.setWebApplicationType(WebApplicationType.NONE);
      try (var context = app.run(args)) {
        Logger log = LoggerFactory.getLogger(Writer.class);
        for (int i = 0; i < LINES; i++) {
          log.info("rotation test line {} id={} padding={}", i, UUID.randomUUID(), "x".repeat(40));
          if (i % 10 == 0) {
            // Logback checks the size at most every few ms: a real gateway does not write 3000
            // lines at once.
            Thread.sleep(2);
          }
        }
      }
    }
  }
}
