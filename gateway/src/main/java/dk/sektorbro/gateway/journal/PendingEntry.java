package dk.sektorbro.gateway.journal;

/** An unfinished entry and the state it stopped in. */
public record PendingEntry(String id, MessageState state) {}
