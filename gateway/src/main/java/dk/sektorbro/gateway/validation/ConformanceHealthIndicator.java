package dk.sektorbro.gateway.validation;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * {@code /actuator/health} component "conformance": which chains validate with which package
 * versions, or that the MedCom packages are not installed. UP either way (the gateway still
 * validates and never sends an invalid message), but an operator sees the difference at once.
 * Health is readable without login, so the details name package versions, never file paths.
 */
@Component
public class ConformanceHealthIndicator implements HealthIndicator {

  private final ConformanceStatus status;

  public ConformanceHealthIndicator(ConformanceStatus status) {
    this.status = status;
  }

  @Override
  public Health health() {
    ConformanceChains chains = status.chains();
    Map<String, Object> loaded = new LinkedHashMap<>();
    chains
        .medcomChains()
        .forEach(
            (type, chain) ->
                loaded.put(
                    type,
                    Map.of(
                        "name",
                        chain.name(),
                        "packages",
                        chain.packages(),
                        "profiles",
                        chain.profiles(),
                        "warmUpMs",
                        warmUpMs(chain),
                        "warmedUp",
                        chain.warm())));
    Health.Builder health =
        Health.up().withDetail("medcomPackages", installation(chains)).withDetail("chains", loaded);
    if (!chains.missingPackages().isEmpty()) {
      health.withDetail("missingPackages", chains.missingPackages());
    }
    return health
        .withDetail(
            "fallback",
            Map.of("name", chains.fallback().name(), "profiles", chains.fallback().profiles()))
        .withDetail("loadMs", status.loadTime().toMillis())
        .build();
  }

  private long warmUpMs(ConformanceChain chain) {
    return status.warmUp().getOrDefault(chain.name(), Duration.ZERO).toMillis();
  }

  private static String installation(ConformanceChains chains) {
    if (!chains.medcomInstalled()) {
      return "not installed: messages are validated against base FHIR R4 and the gateway's profiles only;"
          + " set GATEWAY_CONFORMANCE_PACKAGE_DIR (see docs/validation.md)";
    }
    return chains.missingPackages().isEmpty() ? "installed" : "partially installed";
  }
}
