package dk.sektorbro.gateway.journal;

import java.time.OffsetDateTime;

/** One step in an entry's history: the state it reached, in which stage, and why. */
public record JournalEvent(
    long id,
    OffsetDateTime occurredAt,
    MessageState state,
    String stage,
    String reason,
    String detail) {}
