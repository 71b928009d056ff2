package dk.sektorbro.gateway.validation;

import java.time.Duration;
import java.util.Map;

/**
 * What the validator was built from and how long start-up took: for the health details and logs.
 *
 * @param warmUp time of the first validation per chain name (the one that converts and caches what
 *     it touches), filled in by the warm-up thread as each chain is done (live, thread-safe)
 */
public record ConformanceStatus(
    ConformanceChains chains, Duration loadTime, Map<String, Duration> warmUp) {}
