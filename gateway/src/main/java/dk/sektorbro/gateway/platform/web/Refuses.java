package dk.sektorbro.gateway.platform.web;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.http.HttpStatus;

/**
 * The error statuses an API operation can answer with (each an OperationOutcome), besides the 500
 * every operation can give: {@link ErrorResponses} lists exactly these in /v3/api-docs. On a
 * controller class it holds for every operation of it, added to the operation's own.
 */
@Target({ElementType.METHOD, ElementType.TYPE})
@Retention(RetentionPolicy.RUNTIME)
public @interface Refuses {

  HttpStatus[] value();
}
