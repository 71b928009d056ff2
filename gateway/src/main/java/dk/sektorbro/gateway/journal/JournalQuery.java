package dk.sektorbro.gateway.journal;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;

/**
 * The one filter of the message list, for the REST API and the admin console alike; every filter is
 * optional (null). {@code recipient} matches the SOR code or EAN/GLN exactly; {@code
 * recipientOrName} matches those exactly or part of the recipient's name; {@code since} is
 * inclusive, {@code before} exclusive; {@code reasonContains} is a case-insensitive part of the
 * state's reason; {@code cpr} is the citizen's CPR number without hyphen. Pages are 0-based, newest
 * first.
 */
public record JournalQuery(
    MessageState state,
    String source,
    Channel channel,
    String recipient,
    String recipientOrName,
    String messageType,
    OffsetDateTime since,
    OffsetDateTime before,
    String reasonContains,
    String cpr,
    int page,
    int size) {

  /** The REST API's filters. */
  public JournalQuery(
      MessageState state,
      String source,
      Channel channel,
      String recipient,
      OffsetDateTime since,
      int page,
      int size) {
    this(state, source, channel, recipient, null, null, since, null, null, null, page, size);
  }

  /** Everything in {@code state} (all states when null), one page. */
  public static JournalQuery inState(MessageState state, int page, int size) {
    return new JournalQuery(state, null, null, null, null, page, size);
  }

  /**
   * The start of {@code day} in {@code zone}: console filters are whole days in the gateway's time
   * zone.
   */
  public static OffsetDateTime startOf(LocalDate day, ZoneId zone) {
    return day == null ? null : day.atStartOfDay(zone).toOffsetDateTime();
  }
}
