package dk.sektorbro.gateway.platform.web;

import io.swagger.v3.core.converter.ModelConverters;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springdoc.core.customizers.OperationCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.http.HttpStatus;

/**
 * The error answers in /v3/api-docs, per operation: the statuses its {@link Refuses} names (method
 * and class) and 500, each an OperationOutcome. Listed here once rather than as springdoc
 * annotations on every operation or on the advice (which would give every operation every status).
 */
@Configuration(proxyBeanMethods = false)
public class ErrorResponses {

  private static final String SCHEMA = "OperationOutcome";
  private static final String JSON = "application/json";

  private static final Map<HttpStatus, String> DESCRIPTIONS =
      Map.of(
          HttpStatus.BAD_REQUEST, "bad request: a value or body the gateway cannot use",
          HttpStatus.NOT_FOUND, "not found",
          HttpStatus.CONFLICT, "conflict: not in a state the action applies to",
          HttpStatus.PAYLOAD_TOO_LARGE, "too large",
          HttpStatus.UNSUPPORTED_MEDIA_TYPE, "a Content-Type the source does not send",
          HttpStatus.UNPROCESSABLE_ENTITY, "breaks a rule: one issue per rule",
          HttpStatus.INTERNAL_SERVER_ERROR, "internal error",
          HttpStatus.SERVICE_UNAVAILABLE, "not available now");

  @Bean
  OperationCustomizer errorResponsesPerOperation() {
    return (operation, handler) -> {
      Set<HttpStatus> statuses = EnumSet.of(HttpStatus.INTERNAL_SERVER_ERROR);
      for (Refuses refuses :
          AnnotatedElementUtils.findAllMergedAnnotations(handler.getBeanType(), Refuses.class)) {
        statuses.addAll(Set.of(refuses.value()));
      }
      for (Refuses refuses :
          AnnotatedElementUtils.findAllMergedAnnotations(handler.getMethod(), Refuses.class)) {
        statuses.addAll(Set.of(refuses.value()));
      }
      if (operation.getResponses() == null) {
        operation.setResponses(new ApiResponses());
      }
      for (HttpStatus status : statuses) {
        operation
            .getResponses()
            .addApiResponse(
                String.valueOf(status.value()),
                new ApiResponse()
                    .description(DESCRIPTIONS.getOrDefault(status, status.getReasonPhrase()))
                    .content(
                        new Content()
                            .addMediaType(
                                JSON,
                                new MediaType()
                                    .schema(
                                        new Schema<>().$ref("#/components/schemas/" + SCHEMA)))));
      }
      return operation;
    };
  }

  /** The OperationOutcome schema (and its parts) the error answers refer to. */
  @Bean
  OpenApiCustomizer operationOutcomeSchema() {
    return openApi -> {
      Map<String, Schema> schemas =
          ModelConverters.getInstance().readAll(OperationOutcomeDoc.class);
      if (openApi.getComponents() == null) {
        openApi.setComponents(new Components());
      }
      schemas.forEach((name, schema) -> openApi.getComponents().addSchemas(name, schema));
    };
  }
}
