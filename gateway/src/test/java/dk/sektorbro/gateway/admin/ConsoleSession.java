package dk.sektorbro.gateway.admin;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.CookieManager;
import java.net.HttpCookie;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A browser-like HTTP session on the admin console: cookies kept, redirects not followed, CSRF
 * token at hand.
 */
public final class ConsoleSession {

  private static final Pattern CSRF = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");

  private final String base;
  private final HttpClient http;
  private final CookieManager cookies = new CookieManager();

  ConsoleSession(String base) {
    this.base = base;
    this.http =
        HttpClient.newBuilder()
            .cookieHandler(cookies)
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
  }

  /** Logs in through the form; null user stays anonymous. */
  public static ConsoleSession login(String base, String user, String password) {
    ConsoleSession session = new ConsoleSession(base);
    if (user != null) {
      Map<String, String> form = new LinkedHashMap<>();
      form.put("username", user);
      form.put("password", password);
      form.put("_csrf", session.csrf("/login"));
      HttpResponse<String> response = session.post("/login", form);
      if (response.statusCode() != 302
          || response.headers().firstValue("Location").orElse("").contains("error")) {
        throw new IllegalStateException("login failed for " + user + ": " + response.statusCode());
      }
    }
    return session;
  }

  /**
   * A fresh CSRF token from a page that has a form (the login page, or any console page's logout
   * form).
   */
  public String csrf(String page) {
    Matcher m = CSRF.matcher(get(page).body());
    if (!m.find()) {
      throw new IllegalStateException("no CSRF token on " + page);
    }
    return m.group(1);
  }

  /** The console session's id in the cookie jar (null before the first answer). */
  String sessionId() {
    return cookies.getCookieStore().getCookies().stream()
        .filter(c -> c.getName().equals("JSESSIONID"))
        .map(HttpCookie::getValue)
        .findFirst()
        .orElse(null);
  }

  public HttpResponse<String> get(String path) {
    return send(HttpRequest.newBuilder(URI.create(base + path)).GET());
  }

  public HttpResponse<String> post(String path, Map<String, String> form) {
    String body =
        form.entrySet().stream()
            .map(
                e ->
                    URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8)
                        + "="
                        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
            .collect(Collectors.joining("&"));
    return send(
        HttpRequest.newBuilder(URI.create(base + path))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(body)));
  }

  private HttpResponse<String> send(HttpRequest.Builder request) {
    try {
      return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
