package dk.sektorbro.gateway.consent;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dk.sektorbro.gateway.platform.web.ApiException;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.springframework.http.HttpStatus;

/**
 * A look-up of a citizen's consents with the CPR number in the body ({@code POST
 * /api/v1/consents/_search}, {@code POST /api/v1/consents/$export}), so that it is not in a URL,
 * which reverse proxies and browsers keep.
 */
public record ConsentSearch(String cpr) {

  /** The body read, or a 400 as for every malformed consent body. */
  static ConsentSearch read(ObjectMapper json, String body) {
    ConsentSearch search = null;
    if (body != null && !body.isBlank()) {
      try {
        search = json.readValue(body, ConsentSearch.class);
      } catch (JsonProcessingException e) {
        search = null;
      }
    }
    if (search == null) {
      throw ApiException.of(HttpStatus.BAD_REQUEST, IssueType.STRUCTURE, "consent.malformed");
    }
    return search;
  }
}
