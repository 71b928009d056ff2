package dk.sektorbro.gateway.validation;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.support.DefaultProfileValidationSupport;
import java.util.List;
import org.hl7.fhir.common.hapi.validation.support.PrePopulatedValidationSupport;
import org.hl7.fhir.r4.model.StructureDefinition;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * MedCom's "url|version" canonicals resolve to the definitions in the chain, partial versions
 * included.
 */
// Loads HAPI's R4 core from its jar (45 MB of XML, the longest test of ./mvnw test): verify's tier.
@Tag("integration")
class VersionedCanonicalSupportTest {

  private static final FhirContext FHIR = FhirContext.forR4Cached();
  private static final String NOTES =
      "http://medcomfhir.dk/ig/notes/StructureDefinition/medcom-notes-composition";

  private final PrePopulatedValidationSupport own = own();
  private final VersionedCanonicalSupport support =
      new VersionedCanonicalSupport(FHIR, List.of(own, new DefaultProfileValidationSupport(FHIR)));

  @Test
  void coreTypeWithR4Version_resolvesToTheR4Definition() {
    StructureDefinition organization =
        (StructureDefinition)
            support.fetchStructureDefinition(
                "http://hl7.org/fhir/StructureDefinition/Organization|4.0.1");

    assertThat(organization).isNotNull();
    assertThat(organization.getUrl())
        .isEqualTo("http://hl7.org/fhir/StructureDefinition/Organization");
  }

  @Test
  void exactAndPartialVersions_resolve_otherVersionsDoNot() {
    assertThat(support.fetchStructureDefinition(NOTES + "|1.0.0")).isNotNull();
    assertThat(support.fetchStructureDefinition(NOTES + "|1.0")).isNotNull();
    assertThat(support.fetchStructureDefinition(NOTES + "|1.1")).isNull();
    assertThat(support.fetchStructureDefinition(NOTES + "|1.00")).isNull();
  }

  @Test
  void anotherPatchOfTheSameMajorMinor_resolves_neverAcrossMajorMinor() {
    // MedCom's TestScript fixtures state |5.0.1 and |4.0.1 where 5.0.2 and 4.0.2 are published.
    assertThat(support.fetchStructureDefinition(NOTES + "|1.0.1")).isNotNull();
    assertThat(support.fetchStructureDefinition(NOTES + "|1.0.9")).isNotNull();
    assertThat(support.fetchStructureDefinition(NOTES + "|1.1.0")).isNull();
    assertThat(support.fetchStructureDefinition(NOTES + "|2.0.0")).isNull();
    assertThat(support.fetchStructureDefinition(NOTES + "|0.0.1")).isNull();
    assertThat(support.fetchStructureDefinition(NOTES + "|1.0.1-ballot")).isNull();
  }

  @Test
  void unversionedCanonicals_areLeftToTheRestOfTheChain() {
    assertThat(support.fetchStructureDefinition(NOTES)).isNull();
  }

  private static PrePopulatedValidationSupport own() {
    PrePopulatedValidationSupport own = new PrePopulatedValidationSupport(FHIR);
    StructureDefinition notes = new StructureDefinition();
    notes.setUrl(NOTES);
    notes.setVersion("1.0.0");
    notes.setName("MedComNotesComposition");
    own.addStructureDefinition(notes);
    return own;
  }
}
