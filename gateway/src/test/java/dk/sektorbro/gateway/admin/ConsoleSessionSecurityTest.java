package dk.sektorbro.gateway.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dk.sektorbro.gateway.support.GatewayIntegrationTest;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The console's session as an attacker sees it: a session id planted before the login (fixation)
 * must not become the admin's; a session must end at logout; and the console's cookie must not open
 * the HTTP Basic API, whose requests carry no CSRF token (a page elsewhere could otherwise use the
 * admin's console login to post to the API).
 */
class ConsoleSessionSecurityTest extends GatewayIntegrationTest {

  private final HttpClient raw =
      HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

  @Test
  void aSessionIdFromBeforeTheLogin_isNotTheAdminsAfterIt() throws Exception {
    ConsoleSession session = new ConsoleSession(base());
    String planted = sessionId(session.get("/login"));
    assertThat(planted).isNotNull();
    Map<String, String> form = new LinkedHashMap<>();
    form.put("username", "admin");
    form.put("password", ADMIN_PASSWORD);
    form.put("_csrf", session.csrf("/login"));

    HttpResponse<String> login = session.post("/login", form);

    assertThat(login.headers().firstValue("Location").orElse("")).endsWith("/admin");
    String after = sessionId(login);
    assertThat(after).isNotNull().isNotEqualTo(planted);
    assertThat(getWithSession("/admin/messages", planted).statusCode()).isEqualTo(302);
    assertThat(getWithSession("/admin/messages", after).statusCode()).isEqualTo(200);
  }

  @Test
  void afterLogout_theSessionOpensNothing() throws Exception {
    ConsoleSession session = ConsoleSession.login(base(), "admin", ADMIN_PASSWORD);
    HttpResponse<String> page = session.get("/admin/messages");
    assertThat(page.statusCode()).isEqualTo(200);
    String cookie = cookieOf(session);

    HttpResponse<String> logout =
        session.post("/logout", Map.of("_csrf", session.csrf("/admin/messages")));

    assertThat(logout.headers().firstValue("Location").orElse("")).endsWith("/login?logout");
    assertThat(getWithSession("/admin/messages", cookie).statusCode()).isEqualTo(302);
  }

  @Test
  void theConsolesSession_doesNotOpenTheApi() throws Exception {
    ConsoleSession session = ConsoleSession.login(base(), "admin", ADMIN_PASSWORD);
    String cookie = cookieOf(session);

    HttpResponse<String> answer =
        raw.send(
            HttpRequest.newBuilder(URI.create(base() + "/api/v1/consents/$import"))
                .header("Cookie", "JSESSIONID=" + cookie)
                .header("Content-Type", "application/fhir+json")
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        "{\"resourceType\":\"Bundle\",\"type\":\"collection\"}",
                        StandardCharsets.UTF_8))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    HttpResponse<String> read =
        raw.send(
            HttpRequest.newBuilder(URI.create(base() + "/api/v1/messages"))
                .header("Cookie", "JSESSIONID=" + cookie)
                .GET()
                .build(),
            HttpResponse.BodyHandlers.ofString());

    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(401);
    assertThat(read.statusCode()).as(read.body()).isEqualTo(401);
  }

  private HttpResponse<String> getWithSession(String path, String id)
      throws IOException, InterruptedException {
    return raw.send(
        HttpRequest.newBuilder(URI.create(base() + path))
            .header("Cookie", "JSESSIONID=" + id)
            .GET()
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** The session id the console's cookie jar holds now. */
  private String cookieOf(ConsoleSession session) throws IOException, InterruptedException {
    return session.sessionId();
  }

  private static String sessionId(HttpResponse<?> response) {
    return response.headers().allValues("Set-Cookie").stream()
        .filter(c -> c.startsWith("JSESSIONID="))
        .map(c -> c.substring("JSESSIONID=".length(), c.indexOf(';')))
        .findFirst()
        .orElse(null);
  }

  private String base() {
    return "http://localhost:" + port;
  }
}
