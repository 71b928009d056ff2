package dk.sektorbro.gateway.platform.web;

/**
 * One thing wrong with a request, as an OperationOutcome issue shows it: the field, where it was
 * read from (may be null), the rule it broke and a message. Never the offending value. Capabilities
 * keep their own issue types and implement this, so the web layer needs none of them.
 */
public interface OutcomeIssue {

  String field();

  String sourcePath();

  String rule();

  String message();
}
