package dk.sektorbro.gateway.admin;

import dk.sektorbro.gateway.journal.MessageState;
import java.time.LocalDate;

/**
 * Filters of the console's message list; all optional. {@code recipient} matches SOR code or
 * EAN/GLN exactly, or part of the name; {@code cpr} matches exactly (with or without the hyphen);
 * dates are inclusive days in the gateway's time zone. Pages are 0-based, newest first.
 */
public record MessageFilter(
    MessageState state,
    String source,
    String recipient,
    String messageType,
    LocalDate from,
    LocalDate to,
    String reason,
    String cpr,
    int page,
    int size) {}
