package dk.sektorbro.gateway.validation;

import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.DomainResource;
import org.hl7.fhir.r4.model.ElementDefinition;
import org.hl7.fhir.r4.model.StructureDefinition;

/**
 * Drops the parts of conformance resources that only people read, before the chains hold them: the
 * narrative of every StructureDefinition, ValueSet and CodeSystem, and each element's definition,
 * comment and requirements texts. The chains keep every resource twice (HAPI's R4 copy and the R5
 * copy its validator works on), so these texts were a large share of the heap. HAPI's instance
 * validator, FHIRPath engine and terminology checks do not read any of them (only snapshot
 * generation and renderers do, and the chains have neither); the differential corpus and the
 * official examples are validated against the lean chains.
 */
final class LeanConformance {

  private LeanConformance() {}

  static <T extends IBaseResource> T strip(T resource) {
    if (resource instanceof DomainResource domain) {
      domain.setText(null);
    }
    if (resource instanceof StructureDefinition definition) {
      definition.getSnapshot().getElement().forEach(LeanConformance::strip);
      definition.getDifferential().getElement().forEach(LeanConformance::strip);
    }
    return resource;
  }

  private static void strip(ElementDefinition element) {
    element.setDefinitionElement(null);
    element.setCommentElement(null);
    element.setRequirementsElement(null);
  }
}
