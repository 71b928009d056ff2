package dk.sektorbro.gateway.delivery;

import dk.sektorbro.gateway.delivery.envelope.EnvelopeFacts;
import dk.sektorbro.gateway.delivery.envelope.Envelopes;
import dk.sektorbro.gateway.delivery.settings.DeliveryProperties.EnvelopeKind;
import dk.sektorbro.gateway.delivery.settings.DeliveryProperties.RecipientRoute;
import dk.sektorbro.gateway.delivery.signing.CmsEncryption;
import dk.sektorbro.gateway.delivery.signing.CmsSigner;
import dk.sektorbro.gateway.delivery.signing.PayloadSigning;
import dk.sektorbro.gateway.delivery.transport.OutboundMessage;
import dk.sektorbro.gateway.journal.JournalEntry;
import dk.sektorbro.gateway.medcom.FhirMessageCodec;
import dk.sektorbro.gateway.platform.GatewayProperties.FhirFormat;
import dk.sektorbro.gateway.platform.PermanentFailure;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.Locale;
import java.util.UUID;
import org.springframework.stereotype.Component;

/**
 * Turns a journaled message into the bytes its recipient's route asks for: the FHIR message, signed
 * (CMS SignedData) when the route says so, then in the route's envelope.
 */
@Component
public class OutboundPreparation {

  private final PayloadSigning signing;
  private final FhirMessageCodec codec;
  private final Clock clock;

  public OutboundPreparation(PayloadSigning signing, FhirMessageCodec codec, Clock clock) {
    this.signing = signing;
    this.codec = codec;
    this.clock = clock;
  }

  /**
   * The bytes to send on {@code route}, from the text's UTF-8 ({@link #messageBytes}) encoded by
   * the caller (null: encoded here): {@link FixedOutboundMessages} compares the prepared bytes with
   * that same encoding, and a 17 KB text encoded twice per message was a visible share of the
   * deliver stage's CPU (issue 14). The array is not changed; on the plain route it is the payload
   * itself.
   */
  public OutboundMessage prepare(JournalEntry entry, RecipientRoute route, byte[] messageBytes) {
    FhirFormat format = FhirFormat.valueOf(entry.fhirFormat());
    byte[] payload = messageBytes != null ? messageBytes : messageBytes(entry.fhirMessage());
    String mime = format == FhirFormat.XML ? "application/fhir+xml" : "application/fhir+json";
    String extension = format.fileExtension();
    if (route.sign()) {
      try {
        payload = signing.sign(payload);
      } catch (GeneralSecurityException | IOException e) {
        throw new PermanentFailure("payload could not be signed: " + e.getMessage());
      }
      mime = CmsSigner.MIME_TYPE;
      extension = "p7m";
    }
    if (route.encryptTo() != null) {
      try {
        payload = CmsEncryption.encrypt(payload, CmsEncryption.certificate(route.encryptTo()));
      } catch (GeneralSecurityException | IOException e) {
        throw new PermanentFailure(
            "payload could not be encrypted to the recipient's certificate: " + e.getMessage());
      }
      mime = CmsSigner.MIME_TYPE;
      extension = "p7m";
    }
    if (route.envelope() != EnvelopeKind.NONE) {
      EnvelopeFacts facts = EnvelopeFacts.of(codec.parse(entry.fhirMessage(), format));
      payload =
          Envelopes.wrap(
              route.envelope(),
              facts,
              payload,
              mime,
              UUID.randomUUID().toString(),
              OffsetDateTime.now(clock));
      mime = "application/xml";
      extension = route.envelope().name().toLowerCase(Locale.ROOT) + ".xml";
    }
    return new OutboundMessage(
        entry.id(), entry.recipientGln(), entry.messageHeaderId(), payload, mime, extension);
  }

  /**
   * The journaled message as it goes on the wire before any signing or envelope: its UTF-8 bytes.
   * The one encoding of the text, also where the stored bytes are the journal's own text ({@link
   * FixedOutboundMessages}).
   */
  static byte[] messageBytes(String fhirMessage) {
    return fhirMessage.getBytes(StandardCharsets.UTF_8);
  }
}
