package dk.sektorbro.gateway.consent;

/**
 * Published after a consent or refusal of this citizen was recorded, revoked or imported
 * (committed).
 */
public record ConsentChanged(String citizenCpr) {}
