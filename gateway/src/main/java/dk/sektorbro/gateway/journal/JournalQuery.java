package dk.sektorbro.gateway.journal;

import java.time.OffsetDateTime;

/** Filters of the message list; all optional. Pages are 0-based. */
public record JournalQuery(
    MessageState state, String source, Channel channel, String recipient, OffsetDateTime since, int page, int size) {}
