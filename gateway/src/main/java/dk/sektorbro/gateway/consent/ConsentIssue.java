package dk.sektorbro.gateway.consent;

/**
 * One reason a consent was not accepted: the field, the rule it breaks, and words for people. No
 * values echoed.
 */
public record ConsentIssue(String field, String rule, String message) {}
