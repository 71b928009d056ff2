package dk.sektorbro.gateway.platform;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.nio.file.Path;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * Everything under {@code gateway.*}. Folders are derived from {@link #dataDir()} so that one
 * setting ({@code GATEWAY_DATA_DIR}) moves the whole installation.
 */
@Validated
@ConfigurationProperties("gateway")
public record GatewayProperties(
    @NotNull Path dataDir,
    @NotNull Path mappingsDir,
    @Valid @DefaultValue Intake intake,
    @Valid @DefaultValue Pipeline pipeline,
    @Valid @DefaultValue Delivery delivery) {

  public Path inboxDir() {
    return dataDir.resolve("inbox");
  }

  public Path outboxDir() {
    return dataDir.resolve("outbox");
  }

  public Path archiveDir() {
    return dataDir.resolve("archive");
  }

  /** Files that could not be journaled, kept for an operator (each has a FAILED journal entry). */
  public Path errorDir() {
    return dataDir.resolve("error");
  }

  public Path credentialsFile() {
    return dataDir.resolve("credentials");
  }

  /** Intake limits and file-drop polling. */
  public record Intake(
      @DefaultValue("10MB") DataSize maxRecordSize,
      @DefaultValue("500ms") Duration filePollDelay,
      @DefaultValue("500") @Min(1) int maxFilesPerPoll,
      @DefaultValue("5s") Duration fileStableAfter,
      // How far a record's own times may lie ahead of this clock (CanonicalRecordRules says why).
      @DefaultValue("3h") Duration futureTolerance) {}

  /**
   * Stage queues: how many workers per stage and how unfinished work is picked up again. The file
   * inboxes read a file only while fewer than {@code maxInFlight} ids are queued or being worked on
   * in this node's stages (back-pressure: the rest waits in the inbox, not in memory).
   */
  public record Pipeline(
      @DefaultValue("2") @Min(1) int gateWorkers,
      @DefaultValue("2") @Min(1) int translateWorkers,
      @DefaultValue("2") @Min(1) int validateWorkers,
      @DefaultValue("4") @Min(1) int deliverWorkers,
      @DefaultValue("100000") @Min(1) int queueSize,
      @DefaultValue("200") @Min(1) int maxInFlight,
      @DefaultValue("30s") Duration sweepInterval,
      @DefaultValue("2m") Duration stalledAfter,
      @DefaultValue("3") @Min(1) int maxAttempts,
      @DefaultValue("10") @Min(0) int quarantineDownAbove) {}

  /** How messages are written to postboxes. */
  public record Delivery(
      @DefaultValue("XML") FhirFormat format,
      @DefaultValue("https://sektorbro.local/fhir") String fullUrlBase) {}

  /** Wire format of the FHIR messages the gateway writes. */
  public enum FhirFormat {
    XML,
    JSON;

    public String fileExtension() {
      return this == XML ? "xml" : "json";
    }
  }
}
