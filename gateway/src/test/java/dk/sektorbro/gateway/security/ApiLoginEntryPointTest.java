package dk.sektorbro.gateway.security;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import dk.sektorbro.gateway.platform.web.OperationOutcomes;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.springframework.context.support.ResourceBundleMessageSource;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.core.AuthenticationException;

/** What an API client is told when its login does not pass, with the gateway's message bundle. */
class ApiLoginEntryPointTest {

  private static final Instant NOW = Instant.parse("2026-12-08T01:00:00Z");

  private final ApiLoginEntryPoint entryPoint =
      new ApiLoginEntryPoint(
          new OperationOutcomes(FhirContext.forR4Cached(), bundle()),
          Clock.fixed(NOW, ZoneOffset.UTC));

  @Test
  void databaseAway_503WithRetryAfter_aTransientOutcome_noChallenge() throws Exception {
    MockHttpServletResponse response = answer(new LoginUnavailable());
    assertThat(response.getStatus()).isEqualTo(503);
    assertThat(response.getHeader("Retry-After")).isEqualTo("30");
    assertThat(response.getHeader("WWW-Authenticate"))
        .as("not a wrong password: a client must not ask its user for another")
        .isNull();
    assertThat(response.getContentAsString())
        .contains("OperationOutcome")
        .contains("\"transient\"")
        .contains("the database of the gateway is not available");
  }

  @Test
  void locked_429UntilTheLockEnds_wrongPassword_401WithTheChallenge() throws Exception {
    MockHttpServletResponse locked = answer(new LoginLocked(NOW.plusSeconds(59)));
    assertThat(locked.getStatus()).isEqualTo(429);
    assertThat(locked.getHeader("Retry-After")).isEqualTo("60");
    assertThat(locked.getContentAsString()).contains("\"throttled\"");

    MockHttpServletResponse wrong = answer(new BadCredentialsException("wrong"));
    assertThat(wrong.getStatus()).isEqualTo(401);
    assertThat(wrong.getHeader("WWW-Authenticate")).isEqualTo("Basic realm=\"sektorbro\"");
    assertThat(wrong.getContentAsString()).contains("\"login\"");
  }

  private MockHttpServletResponse answer(AuthenticationException e) throws Exception {
    MockHttpServletResponse response = new MockHttpServletResponse();
    entryPoint.commence(new MockHttpServletRequest(), response, e);
    return response;
  }

  private static ResourceBundleMessageSource bundle() {
    ResourceBundleMessageSource messages = new ResourceBundleMessageSource();
    messages.setBasename("messages");
    messages.setDefaultEncoding("UTF-8");
    return messages;
  }
}
