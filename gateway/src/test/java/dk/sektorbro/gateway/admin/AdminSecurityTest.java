package dk.sektorbro.gateway.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dk.sektorbro.gateway.support.GatewayClient;
import dk.sektorbro.gateway.support.GatewayIntegrationTest;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.http.server.PathContainer;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;

/**
 * Who may do what, for every admin endpoint (console and API) and every role plus anonymous; CSRF
 * on the console; secure headers. Actions aim at an unknown message or route, so an allowed call
 * answers "not found" (or redirects back with that notice) and nothing changes.
 */
class AdminSecurityTest extends GatewayIntegrationTest {

  private static final String NO_ID = "00000000-0000-0000-0000-000000000000";
  private static final String ANONYMOUS = "anonymous";

  @Autowired private ApplicationContext context;

  /** A source's own intake user: its source's records, nothing else (password generated). */
  private static final String SOURCE_USER = "intake-nordby-socialpsykiatri";

  private static final List<String> USERS =
      List.of(ANONYMOUS, "intake", "operator", "admin", "auditor", SOURCE_USER);

  /** One endpoint and the users allowed to call it. */
  private record Endpoint(String method, String path, Set<String> allowed, String body) {}

  private static final Set<String> OPS = Set.of("operator", "admin");
  private static final Set<String> ADMIN = Set.of("admin");
  private static final Set<String> AUDIT = Set.of("auditor", "admin");

  private static final List<Endpoint> API =
      List.of(
          new Endpoint("GET", "/api/v1/dashboard", OPS, null),
          new Endpoint("GET", "/api/v1/routes", OPS, null),
          new Endpoint("GET", "/api/v1/cluster", OPS, null),
          new Endpoint("GET", "/api/v1/audit", AUDIT, null),
          new Endpoint("GET", "/api/v1/messages", OPS, null),
          new Endpoint("GET", "/api/v1/messages/" + NO_ID, OPS, null),
          new Endpoint(
              "POST", "/api/v1/messages/" + NO_ID + "/retry", OPS, "{\"comment\":\"matrix\"}"),
          new Endpoint(
              "POST", "/api/v1/messages/" + NO_ID + "/resend", OPS, "{\"comment\":\"matrix\"}"),
          new Endpoint(
              "POST",
              "/api/v1/messages/retry-failed",
              OPS,
              "{\"reasonContains\":\"no such reason\",\"comment\":\"matrix\"}"),
          new Endpoint(
              "POST",
              "/api/v1/messages/" + NO_ID + "/edit",
              ADMIN,
              "{\"changes\":{\"recipient.sor\":\"990061000016005\"},\"comment\":\"matrix\"}"),
          new Endpoint(
              "POST", "/api/v1/messages/" + NO_ID + "/discard", ADMIN, "{\"reason\":\"matrix\"}"),
          new Endpoint(
              "POST",
              "/api/v1/messages/" + NO_ID + "/release",
              ADMIN,
              "{\"legalBasis\":\"current-treatment\",\"justification\":\"matrix\"}"),
          new Endpoint(
              "POST", "/api/v1/routes/no-such-route/suspend", ADMIN, "{\"reason\":\"matrix\"}"),
          new Endpoint(
              "POST", "/api/v1/routes/no-such-route/resume", ADMIN, "{\"reason\":\"matrix\"}"),
          new Endpoint(
              "GET",
              "/v3/api-docs",
              Set.of("intake", "operator", "admin", "auditor", SOURCE_USER),
              null),
          // The rest of the API, so the matrix covers every endpoint the gateway serves.
          new Endpoint(
              "POST",
              "/api/v1/records/nordby-socialpsykiatri",
              Set.of("intake", "admin", SOURCE_USER),
              "{}"),
          // Another source: not the source user's.
          new Endpoint(
              "POST", "/api/v1/records/nordby-hjemmepleje", Set.of("intake", "admin"), "{}"),
          new Endpoint("GET", "/api/v1/consents?cpr=0101485555", OPS, null),
          new Endpoint("POST", "/api/v1/consents", ADMIN, "{}"),
          // Only an admin revokes or imports consents: an operator's or a source system's
          // import could register a consent the citizen never gave.
          new Endpoint("POST", "/api/v1/consents/" + NO_ID + "/revoke", ADMIN, "{}"),
          new Endpoint("POST", "/api/v1/consents/$import", ADMIN, "{}"),
          new Endpoint("GET", "/api/v1/consents/$export?cpr=0101485555", OPS, null),
          // The CPR number in the body: reads like the GETs.
          new Endpoint("POST", "/api/v1/consents/_search", OPS, "{\"cpr\":\"0101485555\"}"),
          new Endpoint("POST", "/api/v1/consents/$export", OPS, "{\"cpr\":\"0101485555\"}"),
          // Who looked at a citizen: the audit log's readers only.
          new Endpoint("POST", "/api/v1/audit/_search", AUDIT, "{\"cpr\":\"0101485555\"}"),
          new Endpoint("GET", "/api/v1/registry/snapshots", OPS, null),
          // A registry upload decides every later message's postbox: an admin's only ("{}" is no
          // usable bundle, so the admin's call changes nothing: 422).
          new Endpoint("POST", "/api/v1/registry/snapshots", ADMIN, "{}"),
          new Endpoint("GET", "/api/v1/registry/units/990031000016002", OPS, null),
          new Endpoint("GET", "/api/v1/consents/" + NO_ID, OPS, null),
          new Endpoint("GET", "/api/v1/consents/" + NO_ID + "/$fhir", OPS, null),
          new Endpoint("GET", "/api/v1/consents/$late-revocations", OPS, null),
          new Endpoint("GET", "/actuator/metrics", OPS, null),
          new Endpoint("GET", "/actuator/info", OPS, null),
          new Endpoint(
              "GET",
              "/swagger-ui.html",
              Set.of("intake", "operator", "admin", "auditor", SOURCE_USER),
              null),
          new Endpoint("POST", "/api/v1/registry/resolve", ADMIN, "{}"),
          new Endpoint("GET", "/api/v1/documents/" + NO_ID, OPS, null),
          new Endpoint("GET", "/api/v1/documents/" + NO_ID + "/delivery", OPS, null),
          // Found untried by theMatrices_coverEveryMappedEndpoint: a plan's PDF and versions are
          // personal data, read as a message is.
          new Endpoint("GET", "/api/v1/documents/" + NO_ID + "/pdf", OPS, null),
          new Endpoint("GET", "/api/v1/documents/" + NO_ID + "/versions", OPS, null),
          new Endpoint("GET", "/api/v1/registry/locations/5790000000000", OPS, null),
          new Endpoint("GET", "/api/v1/registry/snapshots/" + NO_ID, OPS, null),
          new Endpoint("GET", "/api/v1/documents/deliveries?state=FAILED", OPS, null),
          new Endpoint(
              "POST",
              "/api/v1/documents/" + NO_ID + "/delivery/retry",
              OPS,
              "{\"comment\":\"matrix\"}"),
          new Endpoint("POST", "/fhir/$process-message", Set.of("intake", "admin"), "{}"),
          new Endpoint(
              "GET",
              "/api/v1/consents/$legal-basis-report?legalBasis=acute-danger&format=csv",
              OPS,
              null),
          new Endpoint("GET", "/api/v1/acknowledgements/unmatched", ADMIN, null),
          new Endpoint("GET", "/api/v1/inbound-messages", ADMIN, null),
          new Endpoint(
              "POST",
              "/api/v1/inbound-messages/" + NO_ID + "/release",
              ADMIN,
              "{\"comment\":\"matrix\"}"),
          new Endpoint(
              "POST",
              "/api/v1/inbound-messages/" + NO_ID + "/discard",
              ADMIN,
              "{\"reason\":\"matrix\"}"),
          new Endpoint("POST", "/api/v1/mappings/nordby-socialpsykiatri/$test", ADMIN, "{}"),
          new Endpoint("GET", "/actuator/prometheus", OPS, null),
          new Endpoint(
              "GET",
              "/actuator/health",
              Set.of(ANONYMOUS, "intake", "operator", "admin", "auditor", SOURCE_USER),
              null));

  private static final List<Endpoint> CONSOLE =
      List.of(
          new Endpoint("GET", "/admin", Set.of("operator", "admin", "auditor"), null),
          new Endpoint("GET", "/admin/", Set.of("operator", "admin", "auditor"), null),
          new Endpoint("GET", "/admin/cluster", OPS, null),
          new Endpoint("GET", "/admin/messages", OPS, null),
          new Endpoint("POST", "/admin/messages/filter", OPS, "cpr=0101485555"),
          new Endpoint("GET", "/admin/messages/" + NO_ID, OPS, null),
          new Endpoint("GET", "/admin/routes", OPS, null),
          new Endpoint("GET", "/admin/inbound", OPS, null),
          new Endpoint("POST", "/admin/inbound/" + NO_ID + "/release", ADMIN, "comment=matrix"),
          new Endpoint("POST", "/admin/inbound/" + NO_ID + "/discard", ADMIN, "reason=matrix"),
          new Endpoint("GET", "/admin/audit", AUDIT, null),
          new Endpoint("POST", "/admin/messages/" + NO_ID + "/retry", OPS, "comment=matrix"),
          new Endpoint("POST", "/admin/messages/" + NO_ID + "/resend", OPS, "comment=matrix"),
          new Endpoint(
              "POST",
              "/admin/messages/retry-failed",
              OPS,
              "reasonContains=no such reason&comment=matrix"),
          new Endpoint(
              "POST",
              "/admin/messages/" + NO_ID + "/edit",
              ADMIN,
              "recipient.sor=990061000016005&comment=matrix"),
          new Endpoint("POST", "/admin/messages/" + NO_ID + "/discard", ADMIN, "reason=matrix"),
          new Endpoint(
              "POST",
              "/admin/messages/" + NO_ID + "/release",
              ADMIN,
              "legalBasis=current-treatment&justification=m"),
          new Endpoint("POST", "/admin/routes/no-such-route/suspend", ADMIN, "reason=matrix"),
          new Endpoint("POST", "/admin/routes/no-such-route/resume", ADMIN, "reason=matrix"),
          new Endpoint("GET", "/admin/legal-basis-report", OPS, null),
          new Endpoint("GET", "/admin/legal-basis-report.csv", OPS, null),
          new Endpoint("GET", "/admin/mapping-test", OPS, null),
          new Endpoint(
              "POST", "/admin/mapping-test", ADMIN, "source=nordby-socialpsykiatri&record={}"));

  @Test
  void api_everyEndpointTimesEveryRole() {
    List<String> wrong = new ArrayList<>();
    for (Endpoint e : API) {
      for (String user : USERS) {
        GatewayClient client =
            user.equals(ANONYMOUS) ? client(null, null) : client(user, password(user));
        GatewayClient.Response r =
            e.method().equals("GET")
                ? client.get(e.path())
                : client.post(
                    e.path(), "application/json", e.body().getBytes(StandardCharsets.UTF_8));
        boolean allowed = e.allowed().contains(user);
        int expectedDenial = user.equals(ANONYMOUS) ? 401 : 403;
        if (allowed ? (r.status() == 401 || r.status() == 403) : r.status() != expectedDenial) {
          wrong.add(e.method() + " " + e.path() + " as " + user + " -> " + r.status());
        }
      }
    }
    assertThat(wrong).isEmpty();
    GatewayClient.Response openApi = client("operator", OPERATOR_PASSWORD).get("/v3/api-docs");
    assertThat(openApi.status()).isEqualTo(200);
    assertThat(openApi.body())
        .contains("/api/v1/messages/{id}/retry", "/api/v1/routes/{routeId}/suspend");
    GatewayClient.Response noBody =
        adminClient()
            .post("/api/v1/messages/" + NO_ID + "/discard", "application/json", new byte[0]);
    assertThat(noBody.status()).isEqualTo(400);
  }

  /**
   * The matrices above cover every endpoint the gateway maps (API and console): an endpoint added
   * without a line there would be tried by no role. The framework's own (error page, login and
   * logout forms, the OpenAPI document's parts) are left out by name.
   */
  @Test
  void theMatrices_coverEveryMappedEndpoint() {
    RequestMappingHandlerMapping mapping =
        context.getBean("requestMappingHandlerMapping", RequestMappingHandlerMapping.class);
    PathPatternParser parser = new PathPatternParser();
    List<Endpoint> tried = new ArrayList<>(API);
    tried.addAll(CONSOLE);
    Set<String> framework =
        Set.of("/error", "/login", "/admin/denied", "/v3/api-docs", "/v3/api-docs.yaml");
    List<String> untried = new ArrayList<>();
    mapping
        .getHandlerMethods()
        .forEach(
            (info, handler) -> {
              for (String pattern : info.getPatternValues()) {
                if (framework.contains(pattern)
                    || pattern.startsWith("/v3/api-docs/")
                    || pattern.startsWith("/swagger-ui")) {
                  continue;
                }
                PathPattern path = parser.parse(pattern);
                Set<RequestMethod> methods = info.getMethodsCondition().getMethods();
                for (RequestMethod method :
                    methods.isEmpty() ? Set.of(RequestMethod.GET) : methods) {
                  boolean covered =
                      tried.stream()
                          .anyMatch(
                              e ->
                                  e.method().equals(method.name())
                                      && path.matches(
                                          PathContainer.parsePath(e.path().split("\\?")[0])));
                  if (!covered) {
                    untried.add(method + " " + pattern);
                  }
                }
              }
            });
    assertThat(untried).isEmpty();
  }

  @Test
  void console_everyPageAndActionTimesEveryRole() {
    List<String> wrong = new ArrayList<>();
    for (String user : USERS) {
      ConsoleSession session =
          ConsoleSession.login(base(), user.equals(ANONYMOUS) ? null : user, password(user));
      for (Endpoint e : CONSOLE) {
        HttpResponse<String> r;
        if (e.method().equals("GET")) {
          r = session.get(e.path());
        } else {
          Map<String, String> form = form(e.body());
          form.put("_csrf", session.csrf(user.equals(ANONYMOUS) ? "/login" : "/admin/denied"));
          r = session.post(e.path(), form);
        }
        String location = r.headers().firstValue("Location").orElse("");
        boolean denied =
            r.statusCode() == 401
                || r.statusCode() == 403
                || location.endsWith("/login")
                || location.endsWith("/admin/denied");
        if (e.allowed().contains(user) == denied) {
          wrong.add(
              e.method()
                  + " "
                  + e.path()
                  + " as "
                  + user
                  + " -> "
                  + r.statusCode()
                  + " "
                  + location);
        }
      }
    }
    assertThat(wrong).isEmpty();
  }

  @Test
  void console_postWithoutCsrfTokenIsRefused_withTokenItIsDone() {
    ConsoleSession admin = ConsoleSession.login(base(), "admin", ADMIN_PASSWORD);
    Map<String, String> form = new LinkedHashMap<>(Map.of("reason", "csrf test"));
    assertThat(admin.post("/admin/routes/deliver/suspend", form).statusCode()).isEqualTo(403);
    assertThat(admin.get("/admin/routes").body()).doesNotContain("Suspended");

    form.put("_csrf", admin.csrf("/admin/routes"));
    HttpResponse<String> done = admin.post("/admin/routes/deliver/suspend", form);
    assertThat(done.statusCode()).isEqualTo(302);
    assertThat(admin.get("/admin/routes").body()).contains("Suspended");
    form.put("_csrf", admin.csrf("/admin/routes"));
    admin.post("/admin/routes/deliver/resume", form);
    assertThat(admin.get("/admin/routes").body()).doesNotContain("Suspended");
    assertThat(client("auditor", AUDITOR_PASSWORD).get("/api/v1/audit").body())
        .contains("SUSPEND_ROUTE", "RESUME_ROUTE", "csrf test");
  }

  @Test
  void console_sendsSecureHeaders_andLoginFailsWithWrongPassword() {
    ConsoleSession anonymous = new ConsoleSession(base());
    HttpResponse<String> login = anonymous.get("/login");
    assertThat(login.headers().firstValue("Content-Security-Policy").orElse(""))
        .contains("script-src 'none'", "frame-ancestors 'none'");
    assertThat(login.headers().firstValue("X-Frame-Options")).hasValue("DENY");
    assertThat(login.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
    assertThat(anonymous.get("/admin/messages").headers().firstValue("Location").orElse(""))
        .endsWith("/login");

    Map<String, String> form =
        new LinkedHashMap<>(Map.of("username", "admin", "password", "wrong"));
    form.put("_csrf", anonymous.csrf("/login"));
    assertThat(anonymous.post("/login", form).headers().firstValue("Location").orElse(""))
        .endsWith("/login?error");

    // The session cookie is out of scripts' and other sites' reach.
    assertThat(login.headers().allValues("Set-Cookie"))
        .anySatisfy(
            cookie ->
                assertThat(cookie)
                    .startsWith("JSESSIONID=")
                    .contains("HttpOnly", "SameSite=Strict"));
  }

  private String base() {
    return "http://localhost:" + port;
  }

  private String password(String user) {
    return switch (user) {
      case "intake" -> INTAKE_PASSWORD;
      case "operator" -> OPERATOR_PASSWORD;
      case "admin" -> ADMIN_PASSWORD;
      case "auditor" -> AUDITOR_PASSWORD;
      case SOURCE_USER -> generatedPassword(user);
      default -> null;
    };
  }

  /** A password the gateway generated into {@code <data-dir>/credentials}. */
  private String generatedPassword(String user) {
    Properties stored = new Properties();
    try (Reader reader = Files.newBufferedReader(properties.credentialsFile())) {
      stored.load(reader);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return stored.getProperty(user);
  }

  private static Map<String, String> form(String body) {
    Map<String, String> form = new LinkedHashMap<>();
    for (String pair : body.split("&")) {
      String[] kv = pair.split("=", 2);
      form.put(kv[0], kv[1]);
    }
    return form;
  }
}
