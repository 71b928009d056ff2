package dk.sektorbro.gateway.platform.web;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * What a controller answers when its JSON request body cannot be read: the message bundle key and
 * the OperationOutcome issue code (a FHIR IssueType code, e.g. {@code structure}), with status 400.
 * Without it an unreadable body is an internal error, as before.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
public @interface UnreadableBody {

  String key();

  String type();
}
