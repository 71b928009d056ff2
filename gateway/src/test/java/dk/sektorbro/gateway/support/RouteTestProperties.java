package dk.sektorbro.gateway.support;

import dk.sektorbro.gateway.mapping.CanonicalRecordRules;
import dk.sektorbro.gateway.platform.GatewayProperties;
import java.nio.file.Path;
import java.time.Duration;
import org.springframework.util.unit.DataSize;

/**
 * The gateway's settings for a route tested in a plain Camel context (no Spring): one worker per
 * stage and the default limits, with the folders and the inbox timing the test chooses.
 */
public final class RouteTestProperties {

  private RouteTestProperties() {}

  public static GatewayProperties gateway(
      Path data, Path mappings, Duration pollDelay, Duration stableAfter) {
    return gateway(data, mappings, pollDelay, stableAfter, 500);
  }

  /** As above, reading at most {@code maxFilesPerPoll} inbox files per poll. */
  public static GatewayProperties gateway(
      Path data, Path mappings, Duration pollDelay, Duration stableAfter, int maxFilesPerPoll) {
    return new GatewayProperties(
        data,
        mappings,
        new GatewayProperties.Intake(
            DataSize.ofMegabytes(10),
            pollDelay,
            maxFilesPerPoll,
            stableAfter,
            CanonicalRecordRules.DEFAULT_FUTURE_TOLERANCE),
        new GatewayProperties.Pipeline(
            1, 1, 1, 1, 1000, 200, Duration.ofSeconds(30), Duration.ofMinutes(2), 3, 10),
        new GatewayProperties.Delivery(
            GatewayProperties.FhirFormat.XML, "https://sektorbro.local/fhir"));
  }

  /** The repository's own mappings folder. */
  public static Path repositoryMappings() {
    return Path.of("..", "mappings").toAbsolutePath().normalize();
  }
}
