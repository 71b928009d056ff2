package dk.sektorbro.gateway.careplan;

/**
 * Canonical URLs of MedComDocument 2.0.2 and of the gateway's own care-plan conformance resources
 * (profiles/).
 */
public final class DocumentProfiles {

  private static final String DOC = "http://medcomfhir.dk/ig/document/StructureDefinition/";
  private static final String OWN = "https://sektorbro.dk/fhir/StructureDefinition/";

  public static final String BUNDLE = DOC + "medcom-document-bundle";

  /** MedComDocument requires the profile version in meta.profile (major.minor, as its examples). */
  public static final String COMPOSITION = DOC + "medcom-document-composition|2.0";

  public static final String PATIENT = DOC + "medcom-document-patient";
  public static final String ORGANIZATION = DOC + "medcom-document-organization";
  public static final String CARE_TEAM = DOC + "medcom-document-careteam";

  public static final String CARE_PLAN = OWN + "sektorbro-careplan";
  public static final String PLAN_KIND_EXTENSION = OWN + "sektorbro-plan-kind";
  public static final String PLAN_VERSION_EXTENSION = OWN + "sektorbro-plan-version";
  public static final String CONSENT_TO_PLAN_EXTENSION = OWN + "sektorbro-plan-consent-to-plan";
  public static final String APPROVED_BY_CITIZEN_EXTENSION =
      OWN + "sektorbro-plan-approved-by-citizen";
  public static final String CITIZEN_AGREED_EXTENSION = OWN + "sektorbro-plan-citizen-agreed";

  /** Plan numbers are the source's: one identifier system per source. */
  public static final String PLAN_NUMBER_SYSTEM = "https://sektorbro.dk/fhir/sid/plan-number/";

  public static final String LOINC = "http://loinc.org";
  public static final String CARE_PLAN_TYPE = "81215-6";
  public static final String CARE_PLAN_TYPE_DISPLAY =
      "Care plan - recommended C-CDA R2.0 and R2.1 sections";
  public static final String CLASS_CODE_SYSTEM =
      "http://medcomfhir.dk/ig/document/CodeSystem/MedCom-ihe-classcode-CS-TEMP";
  public static final String CPR_SYSTEM = "urn:oid:1.2.208.176.1.2";
  public static final String SOR_SYSTEM = "urn:oid:1.2.208.176.1.1";
  public static final String URI_SYSTEM = "urn:ietf:rfc:3986";

  private DocumentProfiles() {}
}
