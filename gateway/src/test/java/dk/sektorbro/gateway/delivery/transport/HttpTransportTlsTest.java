package dk.sektorbro.gateway.delivery.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsExchange;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import dk.sektorbro.gateway.delivery.settings.DeliveryProperties;
import dk.sektorbro.gateway.delivery.settings.DeliveryProperties.EnvelopeKind;
import dk.sektorbro.gateway.delivery.settings.DeliveryProperties.RecipientRoute;
import dk.sektorbro.gateway.delivery.settings.DeliveryProperties.TransportKind;
import dk.sektorbro.gateway.delivery.signing.SigningKey;
import dk.sektorbro.gateway.delivery.signing.TestCertificates;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.ssl.DefaultSslBundleRegistry;
import org.springframework.boot.ssl.NoSuchSslBundleException;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * HTTPS with mutual TLS against a real JDK HTTPS server that demands a client certificate: the
 * configured trust store and client key store are used; without the client certificate the
 * handshake fails as an I/O error (transient, so the message would stay queued).
 */
class HttpTransportTlsTest {

  private static final String PW = "test-only";

  @TempDir Path dir;
  private HttpsServer server;
  private final AtomicReference<String> clientSubject = new AtomicReference<>();
  private final SigningKey serverKey = TestCertificates.tlsServer("hospital endpoint");
  private final SigningKey clientKey = TestCertificates.valid("sektorbro client");

  @BeforeEach
  void startServer() throws Exception {
    Path serverStore = dir.resolve("server.p12");
    Path serverTrust = dir.resolve("server-trust.p12");
    TestCertificates.writePkcs12(serverKey, serverStore, PW);
    TestCertificates.writeTrustStore(List.of(clientKey.certificate()), serverTrust, PW);
    SSLContext context = SSLContext.getInstance("TLS");
    KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    keys.init(load(serverStore), PW.toCharArray());
    TrustManagerFactory trust =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    trust.init(load(serverTrust));
    context.init(keys.getKeyManagers(), trust.getTrustManagers(), null);
    server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.setHttpsConfigurator(
        new HttpsConfigurator(context) {
          @Override
          public void configure(HttpsParameters params) {
            SSLParameters parameters = context.getDefaultSSLParameters();
            parameters.setNeedClientAuth(true);
            params.setSSLParameters(parameters);
          }
        });
    server.createContext(
        "/fhir/$process-message",
        exchange -> {
          clientSubject.set(
              ((HttpsExchange) exchange).getSSLSession().getPeerPrincipal().getName());
          exchange.getRequestBody().readAllBytes();
          exchange.sendResponseHeaders(202, -1);
          exchange.close();
        });
    server.start();
  }

  @AfterEach
  void stopServer() {
    server.stop(0);
  }

  @Test
  void send_withTrustStoreAndClientCertificate_isDelivered() throws Exception {
    Path trust = dir.resolve("trust.p12");
    Path client = dir.resolve("client.p12");
    TestCertificates.writeTrustStore(List.of(serverKey.certificate()), trust, PW);
    TestCertificates.writePkcs12(clientKey, client, PW);
    HttpTransport transport =
        new HttpTransport(properties(trust, client, null), new DefaultSslBundleRegistry());

    TransportResult result = transport.send(message(), route());

    assertThat(result.location()).startsWith("https://127.0.0.1:");
    assertThat(clientSubject.get()).contains("CN=sektorbro client");
  }

  @Test
  void send_withoutClientCertificate_failsAsTransientIoError() throws Exception {
    Path trust = dir.resolve("trust.p12");
    TestCertificates.writeTrustStore(List.of(serverKey.certificate()), trust, PW);
    HttpTransport transport =
        new HttpTransport(properties(trust, null, null), new DefaultSslBundleRegistry());

    assertThatThrownBy(() -> transport.send(message(), route())).isInstanceOf(IOException.class);
  }

  @Test
  void send_withSpringBootSslBundle_usesItsTrustAndClientCertificate() throws Exception {
    Path trust = dir.resolve("bundle-trust.p12");
    Path client = dir.resolve("bundle-client.p12");
    TestCertificates.writeTrustStore(List.of(serverKey.certificate()), trust, PW);
    TestCertificates.writePkcs12(clientKey, client, PW);

    new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(SslAutoConfiguration.class))
        .withPropertyValues(
            "spring.ssl.bundle.jks.hospital.truststore.location=" + trust.toUri(),
            "spring.ssl.bundle.jks.hospital.truststore.password=" + PW,
            "spring.ssl.bundle.jks.hospital.truststore.type=PKCS12",
            "spring.ssl.bundle.jks.hospital.keystore.location=" + client.toUri(),
            "spring.ssl.bundle.jks.hospital.keystore.password=" + PW,
            "spring.ssl.bundle.jks.hospital.keystore.type=PKCS12")
        .run(
            context -> {
              HttpTransport transport =
                  new HttpTransport(
                      properties(null, null, "hospital"), context.getBean(SslBundles.class));

              TransportResult result = transport.send(message(), route());

              assertThat(result.location()).startsWith("https://127.0.0.1:");
              assertThat(clientSubject.get()).contains("CN=sektorbro client");
            });
  }

  @Test
  void unknownSslBundle_isRefusedAtStart() {
    assertThatThrownBy(
            () ->
                new HttpTransport(properties(null, null, "nobody"), new DefaultSslBundleRegistry()))
        .isInstanceOf(NoSuchSslBundleException.class);
  }

  private RecipientRoute route() {
    return new RecipientRoute(
        TransportKind.HTTP,
        EnvelopeKind.NONE,
        URI.create("https://127.0.0.1:" + server.getAddress().getPort() + "/fhir/$process-message"),
        false,
        null);
  }

  private static OutboundMessage message() {
    return new OutboundMessage(
        "j1",
        "5790009900030",
        "m1",
        "<Bundle/>".getBytes(StandardCharsets.UTF_8),
        "application/fhir+xml",
        "xml");
  }

  private static DeliveryProperties properties(Path trust, Path client, String bundle) {
    // Generous: the fast tier runs classes side by side on two shared cores, and a TLS handshake
    // with client authentication then took over 5 s. Success and refusal do not depend on it.
    DeliveryProperties.Http http =
        new DeliveryProperties.Http(
            Duration.ofSeconds(30),
            Duration.ofSeconds(30),
            trust,
            PW,
            client,
            client == null ? null : PW,
            bundle);
    return new DeliveryProperties(
        null, Map.of(), null, null, http, null, 3, Duration.ofSeconds(1), Duration.ofSeconds(1));
  }

  private static KeyStore load(Path file) throws Exception {
    KeyStore store = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(file)) {
      store.load(in, PW.toCharArray());
    }
    return store;
  }
}
