package dk.sektorbro.gateway.consent;

/**
 * Who recorded, revoked or imported a consent or refusal through the gateway's API: published
 * inside the registry's transaction, so the audit log (admin) keeps it with the change itself.
 * Codes and ids only, never the citizen.
 */
public record ConsentAudited(String actor, Action action, String consentId, String detail) {

  public enum Action {
    RECORDED,
    REVOKED,
    IMPORTED
  }
}
