package dk.sektorbro.gateway.validation;

import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.CodeSystem;
import org.hl7.fhir.r4.model.DomainResource;
import org.hl7.fhir.r4.model.ElementDefinition;
import org.hl7.fhir.r4.model.StructureDefinition;
import org.hl7.fhir.r4.model.ValueSet;

/**
 * Drops the parts of conformance resources that only people read, before the chains hold them: the
 * narrative, description, purpose and copyright of every StructureDefinition, ValueSet and
 * CodeSystem, a StructureDefinition's mappings, and each element's definition, comment,
 * requirements, mappings, examples, aliases and the XPath form of its invariants. The chains keep
 * every resource twice (HAPI's R4 copy and the R5 copy its validator works on), so these texts were
 * a large share of the heap. HAPI's instance validator, FHIRPath engine and terminology checks do
 * not read any of them (only snapshot generation and renderers do, and the chains have neither);
 * the differential corpus and the official examples are validated against the lean chains.
 */
final class LeanConformance {

  private LeanConformance() {}

  static <T extends IBaseResource> T strip(T resource) {
    if (resource instanceof DomainResource domain) {
      domain.setText(null);
    }
    if (resource instanceof StructureDefinition definition) {
      definition.setMapping(null);
      definition.setDescriptionElement(null);
      definition.setPurposeElement(null);
      definition.setCopyrightElement(null);
      definition.getSnapshot().getElement().forEach(LeanConformance::strip);
      definition.getDifferential().getElement().forEach(LeanConformance::strip);
    } else if (resource instanceof ValueSet valueSet) {
      valueSet.setDescriptionElement(null);
      valueSet.setPurposeElement(null);
      valueSet.setCopyrightElement(null);
    } else if (resource instanceof CodeSystem codeSystem) {
      codeSystem.setDescriptionElement(null);
      codeSystem.setPurposeElement(null);
      codeSystem.setCopyrightElement(null);
    }
    return resource;
  }

  private static void strip(ElementDefinition element) {
    element.setDefinitionElement(null);
    element.setCommentElement(null);
    element.setRequirementsElement(null);
    // Mappings to other standards (v2, RIM, ...), examples and aliases: about 39,000 mapping
    // entries with their texts in each copy, read only by snapshot generation and renderers.
    element.setMapping(null);
    element.setExample(null);
    element.setAlias(null);
    // XPath forms of the invariants (every element repeats ele-1's): the validator runs FHIRPath.
    element.getConstraint().forEach(c -> c.setXpathElement(null));
  }
}
