package dk.sektorbro.gateway.delivery.settings;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.ConstructorBinding;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * {@code gateway.delivery.*} beyond the wire format (which stays in GatewayProperties): how each
 * recipient is reached, how transient failures are retried, how long an acknowledgement may take
 * and how payloads are signed. See docs/delivery.md.
 *
 * @param defaultRoute the route of every recipient not listed in {@code recipients}
 * @param recipients routes by recipient GLN
 * @param retry back-off for transient transport failures
 * @param ack acknowledgement timeout and resend limits
 * @param http client settings for HTTP(S) transports
 * @param signing CMS signing of outgoing payloads and verification of inbound ones
 * @param failingAfter consecutive failed attempts after which a recipient shows as failing
 * @param schedulePoll how often the delivery schedule looks for due work
 * @param inboundPoll how often the inbound folder is read
 */
@Validated
@ConfigurationProperties("gateway.delivery")
public record DeliveryProperties(
    @Valid @DefaultValue RecipientRoute defaultRoute,
    Map<String, RecipientRoute> recipients,
    @Valid @DefaultValue Retry retry,
    @Valid @DefaultValue Ack ack,
    @Valid @DefaultValue Http http,
    @Valid @DefaultValue Signing signing,
    @DefaultValue("3") @Min(1) int failingAfter,
    @DefaultValue("1s") Duration schedulePoll,
    @DefaultValue("500ms") Duration inboundPoll) {

  public DeliveryProperties {
    recipients = recipients == null ? Map.of() : Map.copyOf(recipients);
  }

  /** The route for a recipient GLN: its own when configured, else the default. */
  public RecipientRoute routeFor(String gln) {
    return recipients.getOrDefault(gln, defaultRoute);
  }

  /**
   * How one recipient is reached.
   *
   * @param transport postbox folder or HTTP(S) POST to a FHIR {@code $process-message} endpoint
   * @param envelope none (the plain FHIR message), VANSEnvelope or EHMI SBDH
   * @param url the endpoint for HTTP
   * @param sign wrap the payload in CMS SignedData before the envelope
   * @param encryptTo the recipient's certificate (PEM/DER): CMS EnvelopedData to it, after signing
   * @param documentsUrl set when the recipient takes FHIR documents: care-plan document Bundles are
   *     POSTed there (with the {@code http} client settings), besides the message
   *     (docs/careplans.md)
   * @param postbox this recipient's postbox folder instead of {@code <data-dir>/outbox/<GLN>/},
   *     e.g. a VANS client's pick-up folder (docs/operations.md)
   */
  public record RecipientRoute(
      @DefaultValue("POSTBOX") TransportKind transport,
      @DefaultValue("NONE") EnvelopeKind envelope,
      URI url,
      @DefaultValue("false") boolean sign,
      Path encryptTo,
      URI documentsUrl,
      Path postbox) {

    @ConstructorBinding
    public RecipientRoute {}

    /** A route for a recipient that takes messages only. */
    public RecipientRoute(
        TransportKind transport, EnvelopeKind envelope, URI url, boolean sign, Path encryptTo) {
      this(transport, envelope, url, sign, encryptTo, null, null);
    }

    /** A route with the default postbox folder. */
    public RecipientRoute(
        TransportKind transport,
        EnvelopeKind envelope,
        URI url,
        boolean sign,
        Path encryptTo,
        URI documentsUrl) {
      this(transport, envelope, url, sign, encryptTo, documentsUrl, null);
    }
  }

  public enum TransportKind {
    POSTBOX,
    HTTP
  }

  public enum EnvelopeKind {
    NONE,
    VANS,
    SBDH
  }

  /** Delay before retry n is {@code initialDelay * multiplier^(n-1)}, at most {@code maxDelay}. */
  public record Retry(
      @DefaultValue("30s") Duration initialDelay,
      @DefaultValue("2.0") double multiplier,
      @DefaultValue("30m") Duration maxDelay) {}

  /**
   * MedCom reliable messaging: resend when no acknowledgement within {@code timeout}, at most
   * {@code maxResends} times (MedCom 043 says 2; 040 says 3), then FAILED.
   *
   * @param transientResendDelay wait before resending after a {@code transient-error}
   *     acknowledgement
   */
  public record Ack(
      @DefaultValue("30m") Duration timeout,
      @DefaultValue("2") @Min(0) int maxResends,
      @DefaultValue("5m") Duration transientResendDelay) {}

  /**
   * HTTP(S) client. {@code sslBundle} names a Spring Boot SSL bundle ({@code spring.ssl.bundle.*},
   * JKS/PKCS#12 or PEM) with the trust material and the client certificate for mutual TLS. Without
   * it, the trust store (PKCS#12) replaces the JDK's trusted CAs when set, and the key store
   * (PKCS#12) holds the client certificate. Passwords come from the environment, never from the
   * repository.
   */
  public record Http(
      @DefaultValue("10s") Duration connectTimeout,
      @DefaultValue("30s") Duration requestTimeout,
      Path trustStore,
      String trustStorePassword,
      Path keyStore,
      String keyStorePassword,
      String sslBundle) {}

  /**
   * CMS signing. The key comes from the Spring Boot SSL bundle {@code sslBundle} (rotated without
   * restart when the bundle has {@code reload-on-update}), or else from the PKCS#12 {@code
   * keyStore}, read again when the file changes. With {@code verifyInbound}, inbound payloads must
   * be CMS SignedData from a certificate valid now (and issued by one of {@code
   * trustedCertificates} when given).
   */
  public record Signing(
      Path keyStore,
      String keyStorePassword,
      String alias,
      @DefaultValue("false") boolean verifyInbound,
      Path trustedCertificates,
      String sslBundle) {}
}
