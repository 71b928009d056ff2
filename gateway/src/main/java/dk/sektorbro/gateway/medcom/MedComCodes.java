package dk.sektorbro.gateway.medcom;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * MedCom code lists the gateway emits (terminology 2.0.1, the version CareCommunication 5.0.2
 * uses).
 */
public final class MedComCodes {

  public static final String CATEGORY_SYSTEM =
      "http://medcomfhir.dk/ig/terminology/CodeSystem/medcom-careCommunication-categoryCodes";
  public static final String EVENT_SYSTEM =
      "http://medcomfhir.dk/ig/terminology/CodeSystem/medcom-messaging-eventCodes";
  public static final String ACTIVITY_SYSTEM =
      "http://medcomfhir.dk/ig/terminology/CodeSystem/medcom-messaging-activityCodes";
  public static final String DESTINATION_USE_SYSTEM =
      "http://medcomfhir.dk/ig/terminology/CodeSystem/medcom-messaging-destinationUse";
  public static final String ROLE_SYSTEM =
      "http://medcomfhir.dk/ig/terminology/CodeSystem/medcom-core-PractitionerRolesSKSadministrativ";
  public static final String PRIORITY_SYSTEM = "http://hl7.org/fhir/request-priority";

  public static final String EVENT_CARE_COMMUNICATION = "care-communication-message";

  /** MedCom's "message with no content" (received, never handed over: inbound). */
  public static final String EVENT_EMPTY = "empty-message";

  /**
   * The journal's name for a CareCommunication message (entries, conformance chains, message
   * types).
   */
  public static final String CARE_COMMUNICATION = "CareCommunication";

  public static final String ACTIVITY_NEW_MESSAGE = "new-message";
  public static final String ACTIVITY_REPLY_MESSAGE = "reply-message";
  public static final String ACTIVITY_FORWARD_MESSAGE = "forward-message";
  public static final String CATEGORY_OTHER = "other";
  public static final String CATEGORY_REGARDING_REFERRAL = "regarding-referral";

  /** The 18 CareCommunication categories with their Danish display. */
  public static final Map<String, String> CATEGORIES = categories();

  public static final Set<String> PRIORITIES = Set.of("routine", "asap");

  /** Replacement CPR issuers (dk-core 3.4.0): X-eCPR, and D-eCPR national or regional. */
  public static final String X_ECPR_SYSTEM = "urn:oid:1.2.208.176.1.6.1.1";

  public static final Set<String> REPLACEMENT_CPR_SYSTEMS =
      new TreeSet<>(
          Set.of(
              X_ECPR_SYSTEM,
              "urn:oid:1.2.208.176.1.6.1.3",
              "urn:oid:1.2.208.176.1.6.1.3.177",
              "urn:oid:1.2.208.176.1.6.1.3.179",
              "urn:oid:1.2.208.176.1.6.1.3.181",
              "urn:oid:1.2.208.176.1.6.1.3.183",
              "urn:oid:1.2.208.176.1.6.1.3.187"));

  /** Attachment types the CareCommunication ValueSet allows. */
  public static final Set<String> ATTACHMENT_TYPES =
      Set.of("application/pdf", "image/gif", "image/jpeg", "image/png", "image/tiff", "image/bmp");

  /** SKS administrative role codes (medcom-core-PractitionerRolesSKSadministrativ) with display. */
  public static final Map<String, String> ROLES =
      Map.ofEntries(
          Map.entry("speciallaege", "Speciallæge"),
          Map.entry("overlaege", "Overlæge"),
          Map.entry("afdelingslaege", "Afdelingslæge"),
          Map.entry("sygehuslaege", "Sygehuslæge"),
          Map.entry("sygeplejerske", "Sygeplejerske"),
          Map.entry("sundhedsplejerske", "Sundhedsplejerske"),
          Map.entry("socialogsundhedsassistent", "Social- og sundhedsassistent"),
          Map.entry("socialogsundhedsmedhjaelper", "Social- og sundhedsmedhjælper"),
          Map.entry("sygehjaelper", "Sygehjælper"),
          Map.entry("plejer", "Plejer"),
          Map.entry("farmaceut", "Farmaceut"),
          Map.entry("psykolog", "Psykolog"),
          Map.entry("fysioterapeut", "Fysioterapeut"),
          Map.entry("ergoterapeut", "Ergoterapeut"),
          Map.entry("psykoterapeut", "Psykoterapeut"),
          Map.entry("laegesekretaer", "Lægesekretær"),
          Map.entry("sygeplejesekretaer", "Sygeplejesekretær"),
          Map.entry("socialraadgiver", "Socialrådgiver"),
          Map.entry("paedagog", "Pædagog"));

  private MedComCodes() {}

  private static Map<String, String> categories() {
    Map<String, String> c = new LinkedHashMap<>();
    c.put("alcohol-and-drug-treatment", "Rusmiddelbehandling");
    c.put("assistive-devices", "Hjælpemidler");
    c.put("carecoordination", "Forløbskoordinering");
    c.put("decease", "Dødsfald");
    c.put("discharge", "Udskrivelse");
    c.put("examination-results", "Undersøgelsessvar");
    c.put("healthcare", "Sundhedspleje");
    c.put("home-care-assessment", "Visitation");
    c.put("medicine", "Medicin");
    c.put("nursing", "Sygepleje");
    c.put("outpatient", "Ambulant");
    c.put("psychiatry-social-disability", "Psykiatri, social, handicap");
    c.put("regarding-referral", "Vedr. henvisning");
    c.put("telemedicine", "Telemedicin");
    c.put("training", "Træning");
    c.put("acute-ambulant", "Akut ambulant");
    c.put("extended-care-responsibility", "Udvidet behandlingsansvar");
    c.put("other", "Andet");
    return Map.copyOf(c);
  }
}
