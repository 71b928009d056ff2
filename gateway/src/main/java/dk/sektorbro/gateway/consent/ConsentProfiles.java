package dk.sektorbro.gateway.consent;

/**
 * Canonical URLs of the gateway's Consent profile, its extensions and code systems (files in
 * profiles/).
 */
public final class ConsentProfiles {

  private static final String BASE = "https://sektorbro.dk/fhir/";
  private static final String SD = BASE + "StructureDefinition/";
  private static final String CS = BASE + "CodeSystem/";

  public static final String CONSENT = SD + "sektorbro-consent";

  public static final String EXT_COLLECTED_BY = SD + "sektorbro-consent-collected-by";
  public static final String EXT_FORM = SD + "sektorbro-consent-form";
  public static final String EXT_PROXY_AUTHORITY = SD + "sektorbro-consent-proxy-authority";
  public static final String EXT_RECIPIENT_KIND = SD + "sektorbro-consent-recipient-kind";
  public static final String EXT_RECIPIENT_RELATION = SD + "sektorbro-consent-recipient-relation";
  public static final String EXT_RECIPIENT_MUNICIPALITY =
      SD + "sektorbro-consent-recipient-municipality";
  public static final String EXT_REVOCATION = SD + "sektorbro-consent-revocation";

  public static final String CS_INFORMATION_CATEGORY = CS + "sektorbro-information-category";
  public static final String CS_PURPOSE = CS + "sektorbro-purpose";
  public static final String CS_RECIPIENT_KIND = CS + "sektorbro-recipient-kind";
  public static final String CS_LEGAL_BASIS = CS + "sektorbro-legal-basis";
  public static final String CS_FORM = CS + "sektorbro-consent-form";

  public static final String CONSENT_SCOPE = "http://terminology.hl7.org/CodeSystem/consentscope";
  public static final String LOINC = "http://loinc.org";
  public static final String ACT_CODE = "http://terminology.hl7.org/CodeSystem/v3-ActCode";
  public static final String PARTICIPATION_TYPE =
      "http://terminology.hl7.org/CodeSystem/v3-ParticipationType";

  private ConsentProfiles() {}
}
