package dk.sektorbro.gateway.validation;

import ca.uhn.fhir.validation.IValidationContext;
import ca.uhn.fhir.validation.IValidatorModule;
import ca.uhn.fhir.validation.ResultSeverityEnum;
import ca.uhn.fhir.validation.SingleValidationMessage;
import dk.sektorbro.gateway.medcom.MedComProfiles;
import java.util.List;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Communication;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.MessageHeader;
import org.hl7.fhir.r4.model.Resource;

/**
 * The two CareCommunication invariants fixed after 5.0.2 (in 5.0.3 and 5.0.4, not yet published as
 * a package). The gateway sends what 5.0.4 requires, so the CareCommunication chain checks them on
 * top of the 5.0.2 package:
 *
 * <ul>
 *   <li>medcom-carecommunication-definition-url (5.0.3): {@code MessageHeader.definition} matches
 *       {@code ...MedComCareCommunicationMessageDefinition[|]5[.][0-9]{1,2}$};
 *   <li>medcom-careCommunication-15 (5.0.4, now on the Bundle): an Encounter in the bundle is the
 *       one Communication.encounter references, and without one Communication.encounter is empty.
 * </ul>
 */
final class CareCommunicationInvariants implements IValidatorModule {

  @Override
  public void validateResource(IValidationContext<IBaseResource> context) {
    if (!(context.getResource() instanceof Bundle bundle)) {
      return;
    }
    MessageHeader header = first(bundle, MessageHeader.class);
    if (header != null
        && !MedComProfiles.CC_DEFINITION_5_0_4
            .matcher(header.getDefinition() == null ? "" : header.getDefinition())
            .matches()) {
      error(
          context,
          "Bundle.entry[0].resource.definition",
          "medcom-carecommunication-definition-url",
          "MessageHeader.definition must be the CareCommunication MessageDefinition with version 5.x (|5.0)");
    }
    Communication communication = first(bundle, Communication.class);
    if (communication != null) {
      checkEncounter(context, bundle, communication);
    }
  }

  private static void checkEncounter(
      IValidationContext<IBaseResource> context, Bundle bundle, Communication c) {
    List<Encounter> encounters = all(bundle, Encounter.class);
    String referenced = c.hasEncounter() ? c.getEncounter().getReference() : null;
    boolean consistent =
        encounters.isEmpty()
            ? referenced == null
            : referenced != null
                && encounters.stream()
                    .allMatch(e -> referenced.endsWith("Encounter/" + e.getIdPart()));
    if (!consistent) {
      error(
          context,
          "Bundle.entry.resource.ofType(Communication).encounter",
          "medcom-careCommunication-15",
          "If an Encounter resource is present in the bundle, there must be a reference to it in"
              + " Communication.encounter. If no Encounter is present, Communication.encounter must not be populated.");
    }
  }

  private static void error(
      IValidationContext<IBaseResource> context, String location, String key, String text) {
    SingleValidationMessage message = new SingleValidationMessage();
    message.setSeverity(ResultSeverityEnum.ERROR);
    message.setLocationString(location);
    message.setMessageId(key);
    message.setMessage("Constraint failed: " + key + " (CareCommunication 5.0.4): '" + text + "'");
    context.addValidationMessage(message);
  }

  private static <T extends Resource> T first(Bundle bundle, Class<T> type) {
    List<T> found = all(bundle, type);
    return found.isEmpty() ? null : found.get(0);
  }

  private static <T extends Resource> List<T> all(Bundle bundle, Class<T> type) {
    return bundle.getEntry().stream()
        .map(Bundle.BundleEntryComponent::getResource)
        .filter(type::isInstance)
        .map(type::cast)
        .toList();
  }
}
