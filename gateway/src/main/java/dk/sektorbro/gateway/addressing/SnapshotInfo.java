package dk.sektorbro.gateway.addressing;

import java.time.LocalDate;
import java.time.OffsetDateTime;

/**
 * A stored registry snapshot: where it came from, when, what it holds, whether it is the one in
 * use.
 */
public record SnapshotInfo(
    String id,
    String source,
    LocalDate snapshotDate,
    OffsetDateTime importedAt,
    String contentHash,
    int units,
    int locations,
    int rejected,
    boolean active) {}
