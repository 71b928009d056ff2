package dk.sektorbro.gateway.consent;

import dk.sektorbro.gateway.platform.web.ApiException;
import dk.sektorbro.gateway.platform.web.Issue;
import dk.sektorbro.gateway.record.Cpr;
import java.util.List;
import java.util.Locale;
import org.springframework.context.MessageSource;

/** The refusals both consent controllers answer with, so neither needs the other. */
final class ConsentErrors {

  private ConsentErrors() {}

  /**
   * A CPR number given to list or export by, normalised; else a 422 whose issue says why: {@code
   * whyKey} in the message bundle.
   */
  static String validCpr(String cpr, MessageSource messages, String whyKey) {
    String normalised = Cpr.normalise(cpr);
    if (!Cpr.isValid(normalised)) {
      throw notAccepted(
          List.of(Issue.of("cpr", "cpr", messages.getMessage(whyKey, null, Locale.ROOT))));
    }
    return normalised;
  }

  static ApiException notAccepted(List<Issue> issues) {
    return ApiException.unprocessable("consent.not-accepted", issues);
  }

  static ApiException notFound(String id) {
    return ApiException.notFound("consent.not-found", id);
  }
}
