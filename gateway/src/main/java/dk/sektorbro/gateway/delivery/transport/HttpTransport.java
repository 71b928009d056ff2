package dk.sektorbro.gateway.delivery.transport;

import dk.sektorbro.gateway.delivery.settings.DeliveryProperties;
import dk.sektorbro.gateway.delivery.settings.DeliveryProperties.RecipientRoute;
import dk.sektorbro.gateway.delivery.settings.DeliveryProperties.TransportKind;
import dk.sektorbro.gateway.platform.PermanentFailure;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.GeneralSecurityException;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.stereotype.Component;

/**
 * HTTP(S) POST of the message to the recipient's FHIR {@code $process-message} endpoint. 2xx is
 * delivered (a response body may be the acknowledgement); 5xx, 408, 429, timeouts and I/O errors
 * are transient; any other status is permanent (the endpoint refuses this message).
 */
@Component
public class HttpTransport implements Transport {

  private final HttpClient client;
  private final DeliveryProperties.Http settings;

  public HttpTransport(DeliveryProperties properties, SslBundles bundles)
      throws GeneralSecurityException {
    this.settings = properties.http();
    this.client =
        HttpClient.newBuilder()
            .connectTimeout(settings.connectTimeout())
            .sslContext(TlsContexts.build(settings, bundles))
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
  }

  @Override
  public TransportKind kind() {
    return TransportKind.HTTP;
  }

  @Override
  public TransportResult send(OutboundMessage message, RecipientRoute route) throws IOException {
    if (route.url() == null) {
      throw new PermanentFailure(
          "no HTTP endpoint configured for EAN/GLN " + message.recipientGln());
    }
    HttpRequest request =
        HttpRequest.newBuilder(route.url())
            .timeout(settings.requestTimeout())
            .header("Content-Type", message.contentType())
            .header("Accept", "application/fhir+json, application/fhir+xml")
            .POST(HttpRequest.BodyPublishers.ofByteArray(message.payload()))
            .build();
    HttpResponse<String> response;
    try {
      response = client.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while sending");
    }
    int status = response.statusCode();
    if (status >= 200 && status < 300) {
      return new TransportResult(
          route.url().toString(),
          response.body(),
          response.headers().firstValue("Content-Type").orElse(null));
    }
    if (status >= 500 || status == 408 || status == 429) {
      throw new TransientTransportFailure("HTTP " + status + " from " + route.url());
    }
    throw new PermanentFailure(
        "HTTP " + status + " from " + route.url() + ": the endpoint refused the message");
  }
}
