package dk.sektorbro.gateway.delivery.envelope;

import dk.sektorbro.gateway.medcom.BundledIds;
import dk.sektorbro.gateway.medcom.MedComCodes;
import dk.sektorbro.gateway.medcom.MedComProfiles;
import dk.sektorbro.gateway.medcom.MessageTypes;
import java.util.Optional;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Communication;
import org.hl7.fhir.r4.model.MessageHeader;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.Reference;

/**
 * What an envelope says about the message it carries, read from the message itself so that the
 * envelope can never disagree with the MessageHeader (addressing rule R15).
 */
public record EnvelopeFacts(
    String messageHeaderId,
    String eventCode,
    String version,
    String senderGln,
    String senderSor,
    String receiverGln,
    String receiverSor,
    String category,
    String definitionUri,
    String sorEdiCode) {

  public static EnvelopeFacts of(Bundle bundle) {
    MessageHeader header = (MessageHeader) bundle.getEntryFirstRep().getResource();
    Organization sender = organization(bundle, header.getSender());
    Organization receiver = organization(bundle, header.getDestinationFirstRep().getReceiver());
    String event = header.getEventCoding().getCode();
    MessageTypes.MessageType type =
        MessageTypes.find(event).orElse(MessageTypes.CARE_COMMUNICATION);
    String category =
        bundle.getEntry().stream()
            .map(Bundle.BundleEntryComponent::getResource)
            .filter(Communication.class::isInstance)
            .map(r -> ((Communication) r).getCategoryFirstRep().getCodingFirstRep())
            .filter(c -> MedComCodes.CATEGORY_SYSTEM.equals(c.getSystem()))
            .map(c -> c.getCode())
            .findFirst()
            .orElse(null);
    String definition =
        type.definitionUris().stream().filter(u -> u.contains("##")).findFirst().orElseThrow();
    return new EnvelopeFacts(
        BundledIds.of(header),
        event,
        type.version(),
        identifier(sender, MedComProfiles.GLN_SYSTEM),
        identifier(sender, MedComProfiles.SOR_SYSTEM),
        identifier(receiver, MedComProfiles.GLN_SYSTEM),
        identifier(receiver, MedComProfiles.SOR_SYSTEM),
        category,
        definition,
        type.sorEdiCode());
  }

  /** Resolves a reference inside the message (MedCom: every referenced resource is bundled). */
  private static Organization organization(Bundle bundle, Reference reference) {
    if (reference.getResource() instanceof Organization org) {
      return org;
    }
    String ref = reference.getReference();
    if (ref == null) {
      return new Organization();
    }
    return bundle.getEntry().stream()
        .filter(e -> e.getResource() instanceof Organization)
        .filter(
            e ->
                ref.equals(e.getFullUrl())
                    || (e.getFullUrl() != null && e.getFullUrl().endsWith("/" + ref))
                    || ref.equals("Organization/" + e.getResource().getIdElement().getIdPart()))
        .map(e -> (Organization) e.getResource())
        .findFirst()
        .orElse(new Organization());
  }

  private static String identifier(Organization org, String system) {
    return org.getIdentifier().stream()
        .filter(i -> system.equals(i.getSystem()))
        .map(i -> i.getValue())
        .findFirst()
        .or(() -> Optional.empty())
        .orElse(null);
  }
}
