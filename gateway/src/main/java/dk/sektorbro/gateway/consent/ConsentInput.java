package dk.sektorbro.gateway.consent;

import java.util.List;

/**
 * A consent or refusal as submitted (REST JSON, or read from a FHIR Consent), before validation.
 * Everything is text so that a bad value becomes a named issue rather than a parse error.
 */
public record ConsentInput(
    String id,
    String citizenCpr,
    String type,
    GivenBy givenBy,
    List<Recipient> recipients,
    List<String> informationCategories,
    String purpose,
    String givenAt,
    String validUntil,
    String collectedBy,
    String witness,
    String form,
    Revocation revocation) {

  public record GivenBy(String type, String name, String authority) {}

  public record Recipient(
      String kind, String sor, String name, String relation, String municipality) {}

  /** Only imports carry a revocation; through the API a revocation is its own request. */
  public record Revocation(String revokedAt, String revokedBy, String note) {}
}
