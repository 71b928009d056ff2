package dk.sektorbro.gateway.validation;

import ca.uhn.fhir.validation.IValidatorModule;
import java.util.List;

/**
 * One validation chain: the message type it checks and the package files loaded together. MedCom
 * publishes the same canonical URLs in several versions, so each message family gets its own chain.
 *
 * @param messageType the journal's message type, e.g. "CareCommunication"
 * @param packageFiles file names in the package folder; the first is the family's own package
 * @param rules checks on top of the packages (stateless, thread-safe), e.g. invariants fixed in an
 *     unpublished later version
 */
public record ChainDefinition(
    String messageType, List<String> packageFiles, List<IValidatorModule> rules) {

  public ChainDefinition {
    packageFiles = List.copyOf(packageFiles);
    rules = List.copyOf(rules);
  }

  /** The journal's message type of CareCommunication (see TranslationStage). */
  public static final String CARE_COMMUNICATION = "CareCommunication";

  /** MedCom Acknowledgement 2.0.3, sent and received. */
  public static final String ACKNOWLEDGEMENT = "Acknowledgement";

  /** HospitalNotification 3.0.2 (inbound, hospital to municipality). */
  public static final String HOSPITAL_NOTIFICATION = "HospitalNotification";

  /** Care-plan documents (careplan package): FHIR document Bundles on MedComDocument 2.0.2. */
  public static final String CARE_PLAN_DOCUMENT = "CarePlanDocument";

  /**
   * The chains the gateway knows; add a row to validate another message family (e.g. care-plan
   * documents).
   */
  public static final List<ChainDefinition> ALL =
      List.of(
          new ChainDefinition(
              CARE_COMMUNICATION,
              List.of(
                  "medcom.fhir.dk.carecommunication-5.0.2.tgz",
                  "medcom.fhir.dk.messaging-4.0.2.tgz",
                  "medcom.fhir.dk.core-3.0.1.tgz",
                  "medcom.fhir.dk.terminology-2.0.1.tgz",
                  "medcom.fhir.dk.messagedefinitions-1.0.0.tgz",
                  "hl7.fhir.dk.core-3.4.0.tgz"),
              List.of(new CareCommunicationInvariants(), new AttachmentCountAdvice())),
          // Terminology 2.0.1, not the 1.4.0 the package declares: 1.4.0's issue-details ValueSet
          // lists the
          // FHIR codes under the wrong system (http://hl7.org/fhir/ValueSet/operation-outcome);
          // 2.0.x has
          // http://terminology.hl7.org/CodeSystem/operation-outcome, the system acknowledgements
          // use
          // (medcom/messaging.md §10.13). The binding is unversioned, so the newer list applies.
          new ChainDefinition(
              ACKNOWLEDGEMENT,
              List.of(
                  "medcom.fhir.dk.acknowledgement-2.0.3.tgz",
                  "medcom.fhir.dk.messaging-2.1.0.tgz",
                  "medcom.fhir.dk.core-2.0.1.tgz",
                  "medcom.fhir.dk.terminology-2.0.1.tgz",
                  "hl7.fhir.dk.core-2.0.0.tgz"),
              List.of()),
          // The versions HospitalNotification 3.0.2 declares in its package.json.
          new ChainDefinition(
              HOSPITAL_NOTIFICATION,
              List.of(
                  "medcom.fhir.dk.hospitalnotification-3.0.2.tgz",
                  "medcom.fhir.dk.messaging-2.1.0.tgz",
                  "medcom.fhir.dk.core-2.0.0.tgz",
                  "medcom.fhir.dk.terminology-1.1.1.tgz",
                  "hl7.fhir.dk.core-2.0.0.tgz"),
              List.of()),
          // The versions MedComDocument 2.0.2 declares in its package.json (medcom/messaging.md,
          // chains table).
          new ChainDefinition(
              CARE_PLAN_DOCUMENT,
              List.of(
                  "medcom.fhir.dk.document-2.0.2.tgz",
                  "medcom.fhir.dk.core-4.0.0.tgz",
                  "medcom.fhir.dk.terminology-2.0.2.tgz",
                  "medcom.fhir.dk.xdsmetadata-1.0.1.tgz",
                  "hl7.fhir.dk.core-3.5.0.tgz"),
              List.of()));
}
