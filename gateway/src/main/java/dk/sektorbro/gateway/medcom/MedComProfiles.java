package dk.sektorbro.gateway.medcom;

import java.util.regex.Pattern;

/** Canonical URLs of the MedCom profiles and extensions the gateway's messages claim. */
public final class MedComProfiles {

  private static final String CC = "http://medcomfhir.dk/ig/carecommunication/StructureDefinition/";
  private static final String CORE = "http://medcomfhir.dk/ig/core/StructureDefinition/";
  private static final String MESSAGING = "http://medcomfhir.dk/ig/messaging/StructureDefinition/";

  public static final String CC_MESSAGE = CC + "medcom-careCommunication-message";
  public static final String CC_HEADER = CC + "medcom-careCommunication-messageHeader";
  public static final String CC_COMMUNICATION = CC + "medcom-careCommunication-communication";
  public static final String CC_PROVENANCE = CC + "medcom-careCommunication-provenance";
  public static final String CC_DEFINITION_URL =
      "http://medcomfhir.dk/ig/messagedefinitions/MessageDefinition/MedComCareCommunicationMessageDefinition";
  public static final String CC_DEFINITION = CC_DEFINITION_URL + "|5.0";

  /**
   * MessageHeader.definition as CareCommunication 5.0.3+ checks it (invariant
   * medcom-carecommunication-definition-url): 5.0.2 published the regex with an unescaped "|", so
   * there any value starting with the URL passed.
   */
  public static final Pattern CC_DEFINITION_5_0_4 =
      Pattern.compile("^" + Pattern.quote(CC_DEFINITION_URL) + "[|]5[.][0-9]{1,2}$");

  public static final String MESSAGING_ORGANIZATION = MESSAGING + "medcom-messaging-organization";
  public static final String DESTINATION_USE_EXTENSION =
      MESSAGING + "medcom-messaging-destinationUseExtension";

  public static final String CORE_PATIENT = CORE + "medcom-core-patient";
  public static final String CORE_PRACTITIONER = CORE + "medcom-core-practitioner";
  public static final String CORE_PRACTITIONER_ROLE = CORE + "medcom-core-practitionerrole";
  public static final String CORE_ENCOUNTER = CORE + "medcom-core-encounter";
  public static final String CORE_CARETEAM = CORE + "medcom-core-careteam";

  public static final String DATETIME_EXTENSION = CORE + "medcom-core-datetime-extension";
  public static final String IDENTIFIER_EXTENSION = CORE + "medcom-core-identifier-extension";
  public static final String PRACTITIONER_EXTENSION = CORE + "medcom-core-practitioner-extension";
  public static final String CONTACT_EXTENSION = CORE + "medcom-core-contact-extension";
  public static final String SENDER_EXTENSION = CORE + "medcom-core-sender-extension";

  /** Identifier systems. GLN uses https: CareCommunication 5.0.x builds on dk-core 3.4.0. */
  public static final String SOR_SYSTEM = "urn:oid:1.2.208.176.1.1";

  public static final String GLN_SYSTEM = "https://www.gs1.org/gln";
  public static final String CPR_SYSTEM = "urn:oid:1.2.208.176.1.2";

  /** The SOR browser address MedCom's examples use as a postbox endpoint. */
  public static String sorEndpoint(String sor) {
    return "https://sor2.sum.dsdn.dk/#id=" + sor;
  }

  private MedComProfiles() {}
}
