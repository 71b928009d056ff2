package dk.sektorbro.gateway.careplan;

/**
 * Who read a stored care-plan version in full (its FHIR document or its PDF: CPR number, names and
 * every free-text part) through the API. Published for the audit log (admin), as a read of a
 * message's full personal data is. Ids only.
 */
public record DocumentRead(String actor, String journalId, String documentId, String form) {}
