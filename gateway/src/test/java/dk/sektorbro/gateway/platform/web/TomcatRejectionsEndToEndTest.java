package dk.sektorbro.gateway.platform.web;

import static org.assertj.core.api.Assertions.assertThat;

import dk.sektorbro.gateway.support.GatewayIntegrationTest;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Requests Tomcat refuses before Spring sees them (a NUL as {@code %00}, broken percent-encoding,
 * characters a request line may not hold) got Tomcat's own HTML error page: a client that reads the
 * API's errors as OperationOutcomes got HTML it cannot parse. Those Spring Security's firewall
 * refuses came back as 401 "authentication required" to a caller with the right password. Sent over
 * a raw socket, since an HTTP client would encode or refuse such a URL itself.
 */
class TomcatRejectionsEndToEndTest extends GatewayIntegrationTest {

  @ParameterizedTest
  @ValueSource(
      strings = {
        "GET /api/v1/messages/%00 HTTP/1.1",
        "GET /api/v1/messages/%zz HTTP/1.1",
        "GET /api/v1/messages?state=<x> HTTP/1.1",
        "GET /api/v1/{messages} HTTP/1.1",
        "GET /api/v1/messages/%5C HTTP/1.1",
        "GET /api/v1/messages HTTP/1.1\r\nHost: a b c",
        // Refused by Spring Security's firewall: was 401 "authentication required", password or not
        "GET /api/v1/messages;x=1 HTTP/1.1",
        "GET /api/v1/messages/%2e%2e/x HTTP/1.1",
        "GET /api/v1//messages HTTP/1.1",
      })
  void requestRefusedBeforeTheApi_isAnsweredAsAnOperationOutcome(String requestLine)
      throws IOException {
    String answer = send(requestLine);

    assertThat(answer).startsWith("HTTP/1.1 400 ");
    String head = answer.substring(0, answer.indexOf("\r\n\r\n")).toLowerCase();
    assertThat(head).contains("content-type: application/json");
    String body = answer.substring(answer.indexOf("\r\n\r\n") + 4);
    assertThat(body)
        .as(answer)
        .startsWith("{\"resourceType\":\"OperationOutcome\",\"issue\":[{\"severity\":\"error\"")
        .contains("\"diagnostics\":\"")
        .doesNotContain("<html", "Tomcat", "Apache");
  }

  private String send(String requestLine) throws IOException {
    try (Socket socket = new Socket("localhost", port)) {
      socket.setSoTimeout(30_000);
      OutputStream out = socket.getOutputStream();
      String host = requestLine.contains("Host:") ? "" : "\r\nHost: localhost";
      String login =
          Base64.getEncoder()
              .encodeToString(("operator:" + OPERATOR_PASSWORD).getBytes(StandardCharsets.UTF_8));
      out.write(
          (requestLine
                  + host
                  + "\r\nAuthorization: Basic "
                  + login
                  + "\r\nConnection: close\r\n\r\n")
              .getBytes(StandardCharsets.UTF_8));
      out.flush();
      return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
