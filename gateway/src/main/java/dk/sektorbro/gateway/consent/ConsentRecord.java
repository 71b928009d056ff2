package dk.sektorbro.gateway.consent;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Set;

/**
 * One registered consent or explicit refusal, as the citizen (or a proxy) gave it. A refusal with
 * no categories covers every category and one with no purpose covers every purpose; a consent
 * always names both (the form says what, with whom and why: source 001).
 */
public record ConsentRecord(
    String id,
    String citizenCpr,
    Type type,
    Grantor givenBy,
    List<ConsentRecipient> recipients,
    Set<InformationCategory> categories,
    Purpose purpose,
    OffsetDateTime givenAt,
    OffsetDateTime validUntil,
    String collectedBy,
    String witness,
    ConsentForm form,
    OffsetDateTime recordedAt,
    Revocation revocation) {

  public ConsentRecord {
    recipients = List.copyOf(recipients);
    categories = Set.copyOf(categories);
  }

  /** A permission, or an explicit refusal (e.g. "no discharge letter to my GP"). */
  public enum Type {
    CONSENT,
    REFUSAL
  }

  /**
   * Who gave it: the citizen, or a proxy with the authority recorded (guardian, power of attorney).
   */
  public record Grantor(GrantorType type, String name, String authority) {}

  public enum GrantorType {
    CITIZEN,
    PROXY
  }

  /**
   * When and by whom it was revoked, with the staff member's note. Not retroactive (source 001).
   */
  public record Revocation(OffsetDateTime revokedAt, String revokedBy, String note) {}

  public ConsentRecord revoked(Revocation by) {
    return new ConsentRecord(
        id,
        citizenCpr,
        type,
        givenBy,
        recipients,
        categories,
        purpose,
        givenAt,
        validUntil,
        collectedBy,
        witness,
        form,
        recordedAt,
        by);
  }

  /** In force at {@code at}: given, not yet past its validity, not revoked at or before it. */
  public boolean inForceAt(OffsetDateTime at) {
    if (at.isBefore(givenAt)) {
      return false;
    }
    if (validUntil != null && at.isAfter(validUntil)) {
      return false;
    }
    return revocation == null || at.isBefore(revocation.revokedAt());
  }
}
