package dk.sektorbro.gateway.testscript;

import ca.uhn.fhir.context.FhirContext;
import dk.sektorbro.gateway.validation.ChainDefinition;
import dk.sektorbro.gateway.validation.MedComChains;
import dk.sektorbro.gateway.validation.ValidationReport;
import java.util.List;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CanonicalType;

/**
 * A TestScript's {@code validateProfileId}: the Bundle validated against that profile with the
 * official chain of the profile's family (the HAPI reference validator, loaded by the test).
 */
final class OfficialValidator {

  private static final FhirContext FHIR = FhirContext.forR4Cached();

  private OfficialValidator() {}

  /**
   * The errors, empty when valid. HAPI validates against the profiles a resource claims: a Bundle
   * that does not claim the script's profile is validated as if it did, or a message without
   * meta.profile would be checked against base R4 only (none of the Bundle-level rules: one
   * Patient, a Provenance, inv 11/12).
   */
  static List<String> validate(String profile, Bundle bundle) {
    String canonical = unversioned(profile);
    Bundle claimed = bundle;
    if (bundle.getMeta().getProfile().stream()
        .map(CanonicalType::getValue)
        .noneMatch(p -> unversioned(p).equals(canonical))) {
      claimed = bundle.copy();
      claimed.getMeta().addProfile(canonical);
    }
    String type =
        canonical.contains("/acknowledgement/")
            ? ChainDefinition.ACKNOWLEDGEMENT
            : ChainDefinition.CARE_COMMUNICATION;
    ValidationReport report =
        MedComChains.get()
            .forType(type)
            .validate(FHIR.newJsonParser().encodeResourceToString(claimed));
    return report.errors().stream().map(i -> i.location() + ": " + i.message()).toList();
  }

  private static String unversioned(String canonical) {
    return canonical.replaceFirst("\\|.*$", "");
  }
}
