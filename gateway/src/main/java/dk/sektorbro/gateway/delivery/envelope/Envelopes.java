package dk.sektorbro.gateway.delivery.envelope;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.dataformat.xml.XmlMapper;
import com.fasterxml.jackson.dataformat.xml.ser.ToXmlGenerator;
import dk.sektorbro.gateway.delivery.settings.DeliveryProperties.EnvelopeKind;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Wraps a payload in the envelope a recipient is configured for, from the typed models {@link
 * VansEnvelope} and {@link SbdhEnvelope}. Pure: ids and time come in as arguments.
 */
public final class Envelopes {

  private static final XmlMapper XML =
      (XmlMapper)
          new XmlMapper()
              .configure(ToXmlGenerator.Feature.WRITE_XML_DECLARATION, true)
              .enable(SerializationFeature.INDENT_OUTPUT)
              .setSerializationInclusion(JsonInclude.Include.NON_NULL);

  static final String PROCESS_ID = "urn:ehmi:sdn-emergence";

  private Envelopes() {}

  /**
   * The bytes on the wire. {@code NONE} returns the payload unchanged.
   *
   * @param mimeType of the payload: application/fhir+xml, application/fhir+json or
   *     application/pkcs7-mime
   */
  public static byte[] wrap(
      EnvelopeKind kind,
      EnvelopeFacts facts,
      byte[] payload,
      String mimeType,
      String envelopeId,
      OffsetDateTime now) {
    try {
      return switch (kind) {
        case NONE -> payload;
        case VANS -> XML.writeValueAsBytes(vans(facts, payload, mimeType, envelopeId, now));
        case SBDH -> XML.writeValueAsBytes(sbdh(facts, payload, mimeType, envelopeId, now));
      };
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("envelope could not be written", e);
    }
  }

  // A resend gets a new envelope id and sent time (MedCom 032/043): both come in from the caller.
  static VansEnvelope vans(
      EnvelopeFacts facts, byte[] payload, String mimeType, String envelopeId, OffsetDateTime now) {
    String name =
        "MCM:" + facts.sorEdiCode() + (facts.category() == null ? "" : "#" + facts.category());
    return new VansEnvelope(
        VansEnvelope.EndPoint.ean(facts.senderGln()),
        VansEnvelope.EndPoint.ean(facts.receiverGln()),
        envelopeId,
        now.truncatedTo(ChronoUnit.SECONDS).format(DateTimeFormatter.ISO_OFFSET_DATE_TIME),
        new VansEnvelope.Message(
            new VansEnvelope.MetaInformation(
                facts.messageHeaderId(),
                new VansEnvelope.Document("HL7", name, facts.version(), payload.length),
                new VansEnvelope.Transport(
                    "reliable", List.of(new VansEnvelope.ServiceTag("MCM:MIME", mimeType)))),
            Base64.getEncoder().encodeToString(payload)));
  }

  static SbdhEnvelope sbdh(
      EnvelopeFacts facts, byte[] payload, String mimeType, String envelopeId, OffsetDateTime now) {
    List<SbdhEnvelope.Scope> scopes = new ArrayList<>();
    scopes.add(scope("DOCUMENTID", facts.definitionUri()));
    scopes.add(scope("PROCESSID", PROCESS_ID));
    scopes.add(scope("SENDERID", facts.senderSor()));
    scopes.add(scope("RECEIVERID", facts.receiverSor()));
    scopes.add(scope("MESSAGEIDENTIFIER", facts.messageHeaderId()));
    scopes.add(scope("MESSAGEENVELOPEIDENTIFIER", envelopeId));
    if (facts.category() != null) {
      scopes.add(
          scope("StatisticalInformation", "MCM:" + facts.sorEdiCode() + "#" + facts.category()));
    }
    SbdhEnvelope.Header header =
        new SbdhEnvelope.Header(
            "1.0",
            partner(facts.senderGln()),
            partner(facts.receiverGln()),
            new SbdhEnvelope.DocumentIdentification(
                facts.eventCode(),
                facts.version(),
                envelopeId,
                "Bundle",
                now.format(DateTimeFormatter.ISO_OFFSET_DATE_TIME)),
            scopes);
    return new SbdhEnvelope(
        header,
        new SbdhEnvelope.BinaryContent(
            mimeType, "base64", Base64.getEncoder().encodeToString(payload)));
  }

  private static SbdhEnvelope.Partner partner(String gln) {
    return new SbdhEnvelope.Partner(
        new SbdhEnvelope.Identifier("iso6523-actorid-upis", "0088:" + gln));
  }

  private static SbdhEnvelope.Scope scope(String type, String value) {
    return new SbdhEnvelope.Scope(type, value, null);
  }

  /** For logs and tests: the envelope as text. */
  static String text(byte[] envelope) {
    return new String(envelope, StandardCharsets.UTF_8);
  }
}
