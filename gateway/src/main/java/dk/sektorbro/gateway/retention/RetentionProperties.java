package dk.sektorbro.gateway.retention;

import dk.sektorbro.gateway.journal.MessageState;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalTime;
import java.util.EnumMap;
import java.util.Map;
import java.util.Set;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * {@code gateway.retention.*}: how long the journal keeps personal data (docs/operations.md,
 * "Retention"). Per final state: {@code content} is how long after its last change an entry keeps
 * its original payload, canonical record and MedCom message; {@code history} how long the entry and
 * its history (states, reasons, consent and address decisions) are kept at all. Only final states
 * can have a rule: held, failed and in-flight messages need a person or are still on their way, and
 * are never pruned.
 *
 * @param enabled pruning runs at all
 * @param states rules per final state
 * @param windowStart off-peak window start (local time of the gateway)
 * @param windowEnd off-peak window end; may be after midnight
 * @param batchSize entries per batch (one transaction each)
 * @param interval pause between batches inside the window
 * @param archive optional encrypted archive written before anything is pruned
 * @param inbound messages received from other organisations (not journal entries): the received
 *     CareCommunications kept for replies lose their content after {@code content}, the record of
 *     each received message (its acknowledgement, hand-over) goes after {@code history}; a message
 *     KEPT for a consent is never pruned
 * @param auditLog how long admin audit records (admin_audit) are kept: they name the citizen whose
 *     data a person opened or changed (an access log of health data, kept for years), default 5
 *     years like the journal history they explain, never less than {@link #AUDIT_LOG_MINIMUM}
 */
@Validated
@ConfigurationProperties("gateway.retention")
public record RetentionProperties(
    @DefaultValue("true") boolean enabled,
    Map<MessageState, Rule> states,
    @DefaultValue("01:00") LocalTime windowStart,
    @DefaultValue("05:00") LocalTime windowEnd,
    @DefaultValue("100") @Min(1) int batchSize,
    @DefaultValue("10s") Duration interval,
    @Valid @DefaultValue Archive archive,
    @DefaultValue Rule inbound,
    @DefaultValue("1825d") Duration auditLog) {

  /**
   * The audit log is the citizen's answer to "who looked at or changed my data": a setting shorter
   * than a year is a typo or a mistake, refused at start rather than deleting the evidence.
   */
  public static final Duration AUDIT_LOG_MINIMUM = Duration.ofDays(365);

  /** States whose entries need nothing more from the gateway or a person. */
  public static final Set<MessageState> PRUNABLE =
      Set.of(
          MessageState.ACKNOWLEDGED,
          MessageState.REJECTED,
          MessageState.EXPIRED,
          MessageState.DISCARDED);

  public RetentionProperties {
    Map<MessageState, Rule> ordered = new EnumMap<>(MessageState.class);
    if (states != null) {
      ordered.putAll(states);
    }
    states = ordered;
    for (Map.Entry<MessageState, Rule> e : states.entrySet()) {
      if (!PRUNABLE.contains(e.getKey())) {
        throw new IllegalArgumentException(
            "gateway.retention.states."
                + e.getKey()
                + ": only "
                + PRUNABLE
                + " can be pruned; held, failed and in-flight messages are never pruned");
      }
      Rule rule = e.getValue();
      if (rule.content() != null
          && rule.history() != null
          && rule.history().compareTo(rule.content()) < 0) {
        throw new IllegalArgumentException(
            "gateway.retention.states."
                + e.getKey()
                + ": history must be kept at least as long as content");
      }
    }
    states = java.util.Collections.unmodifiableMap(states);
    if (inbound == null) {
      inbound = new Rule(null, null);
    }
    if (auditLog == null) {
      auditLog = Duration.ofDays(1825);
    }
    if (auditLog.compareTo(AUDIT_LOG_MINIMUM) < 0) {
      throw new IllegalArgumentException(
          "gateway.retention.audit-log: at least "
              + AUDIT_LOG_MINIMUM.toDays()
              + " days; the audit log answers a citizen's question who opened their data");
    }
  }

  public boolean inWindow(LocalTime now) {
    return windowStart.isBefore(windowEnd)
        ? !now.isBefore(windowStart) && now.isBefore(windowEnd)
        : !now.isBefore(windowStart) || now.isBefore(windowEnd);
  }

  /** Durations after the entry's last change; null keeps that part forever. */
  public record Rule(Duration content, Duration history) {}

  /**
   * Archive before pruning: one file per batch in {@code dir}, gzip-compressed and encrypted with
   * AES-256-GCM under the key in {@code keyFile} (32 random bytes, raw or Base64). Off when {@code
   * dir} is unset.
   */
  public record Archive(Path dir, Path keyFile) {
    public boolean enabled() {
      return dir != null;
    }
  }
}
