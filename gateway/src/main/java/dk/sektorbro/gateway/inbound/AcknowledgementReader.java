package dk.sektorbro.gateway.inbound;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.DataFormatException;
import ca.uhn.fhir.parser.IParser;
import dk.sektorbro.gateway.delivery.envelope.EnvelopeFacts;
import dk.sektorbro.gateway.medcom.BundledIds;
import java.util.StringJoiner;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.MessageHeader;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.springframework.stereotype.Component;

/**
 * Reads a MedCom Acknowledgement (XML or JSON): a message Bundle whose MessageHeader carries a
 * {@code response} with identifier and code. The OperationOutcome is taken from the response's
 * details reference, else from the Bundle.
 */
@Component
public class AcknowledgementReader {

  static final String ACKNOWLEDGEMENT_EVENT = "acknowledgement-message";

  private final FhirContext fhir;

  public AcknowledgementReader(FhirContext fhir) {
    this.fhir = fhir;
  }

  public Acknowledgement read(String text) throws NotAnAcknowledgement {
    Bundle bundle = parse(text);
    if (bundle.getType() != Bundle.BundleType.MESSAGE
        || !(bundle.getEntryFirstRep().getResource() instanceof MessageHeader header)) {
      throw new NotAnAcknowledgement("not a FHIR message Bundle with a MessageHeader first", false);
    }
    boolean answers =
        header.hasResponse()
            && header.getResponse().hasIdentifier()
            && header.getResponse().hasCode();
    if (!answers && ACKNOWLEDGEMENT_EVENT.equals(header.getEventCoding().getCode())) {
      // An acknowledgement that names no message: broken, and still an acknowledgement. As
      // "another message" it was answered with an acknowledgement of its own, which MedCom
      // forbids (KR2: an acknowledgement is never acknowledged).
      throw new NotAnAcknowledgement(
          "an acknowledgement without MessageHeader.response identifier and code:"
              + " recorded, not answered (acknowledgements are never acknowledged)",
          false);
    }
    if (!answers) {
      // Inbound messages are de-duplicated on these ids: without them there is nothing to process.
      boolean identified =
          header.getIdElement().getIdPart() != null && bundle.getIdElement().getIdPart() != null;
      throw new NotAnAcknowledgement(
          identified
              ? "a FHIR message, but not an acknowledgement (no MessageHeader.response)"
              : "a FHIR message without Bundle.id or MessageHeader.id",
          identified);
    }
    OperationOutcome outcome = outcome(header, bundle);
    return new Acknowledgement(
        BundledIds.of(header),
        bundle.getIdPart(),
        header.getResponse().getIdentifier(),
        header.getResponse().getCode().toCode(),
        outcome == null ? null : fhir.newJsonParser().encodeResourceToString(outcome),
        summary(outcome),
        EnvelopeFacts.of(bundle).senderGln());
  }

  private Bundle parse(String text) throws NotAnAcknowledgement {
    String trimmed = text.stripLeading();
    IParser parser = trimmed.startsWith("<") ? fhir.newXmlParser() : fhir.newJsonParser();
    try {
      return parser.parseResource(Bundle.class, trimmed);
    } catch (DataFormatException | ClassCastException e) {
      throw new NotAnAcknowledgement("not a readable FHIR Bundle", false);
    }
  }

  private static OperationOutcome outcome(MessageHeader header, Bundle bundle) {
    if (header.getResponse().getDetails().getResource() instanceof OperationOutcome o) {
      return o;
    }
    return bundle.getEntry().stream()
        .map(Bundle.BundleEntryComponent::getResource)
        .filter(OperationOutcome.class::isInstance)
        .map(OperationOutcome.class::cast)
        .findFirst()
        .orElse(null);
  }

  /**
   * Issue codes only (details codings and the issue type): an outcome's free text may quote
   * content.
   */
  private static String summary(OperationOutcome outcome) {
    if (outcome == null) {
      return null;
    }
    StringJoiner joiner = new StringJoiner(", ");
    for (OperationOutcome.OperationOutcomeIssueComponent issue : outcome.getIssue()) {
      String codes =
          issue.getDetails().getCoding().stream()
              .map(Coding::getCode)
              .reduce((a, b) -> a + "/" + b)
              .orElse(issue.getCode() == null ? "?" : issue.getCode().toCode());
      joiner.add(codes);
    }
    return joiner.toString();
  }
}
