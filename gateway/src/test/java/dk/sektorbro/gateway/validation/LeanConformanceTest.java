package dk.sektorbro.gateway.validation;

import static org.assertj.core.api.Assertions.assertThat;

import org.hl7.fhir.r4.model.ElementDefinition;
import org.hl7.fhir.r4.model.StringType;
import org.hl7.fhir.r4.model.StructureDefinition;
import org.junit.jupiter.api.Test;

/**
 * What the chains drop from a StructureDefinition, and what they must keep: everything the
 * validator checks (path, cardinality, types, bindings, invariants with their FHIRPath and human
 * text). Whether the verdicts stay the same is the oracles' job (OfficialExamplesTest,
 * BrokenMessagesTest, MedComTestScriptsTest, ...).
 */
class LeanConformanceTest {

  @Test
  void dropsWhatOnlyPeopleRead_keepsWhatTheValidatorChecks() {
    StructureDefinition definition = new StructureDefinition();
    definition.setUrl("http://example.org/StructureDefinition/x");
    definition.setDescription("about x");
    definition.addMapping().setIdentity("rim");
    ElementDefinition element = definition.getSnapshot().addElement();
    element.setPath("Patient.name").setMin(1).setMax("1").setShort("name");
    element.setDefinition("the name").setComment("c").setRequirements("r");
    element.addMapping().setIdentity("rim").setMap("name");
    element.addExample().setLabel("e").setValue(new StringType("x"));
    element.addAlias("n");
    element.getBinding().setValueSet("http://example.org/ValueSet/v");
    element
        .addConstraint()
        .setKey("ele-1")
        .setHuman("All FHIR elements must have a @value or children")
        .setExpression("hasValue() or (children().count() > id.count())")
        .setXpath("@value|f:*|h:div");

    LeanConformance.strip(definition);

    assertThat(definition.hasDescription()).isFalse();
    assertThat(definition.hasMapping()).isFalse();
    assertThat(element.hasDefinition() || element.hasComment() || element.hasRequirements())
        .isFalse();
    assertThat(element.hasMapping() || element.hasExample() || element.hasAlias()).isFalse();
    assertThat(element.getConstraintFirstRep().hasXpath()).isFalse();

    assertThat(definition.getUrl()).isEqualTo("http://example.org/StructureDefinition/x");
    assertThat(element.getPath()).isEqualTo("Patient.name");
    assertThat(element.getMin()).isEqualTo(1);
    assertThat(element.getMax()).isEqualTo("1");
    assertThat(element.getShort()).isEqualTo("name");
    assertThat(element.getBinding().getValueSet()).isEqualTo("http://example.org/ValueSet/v");
    assertThat(element.getConstraintFirstRep().getExpression())
        .isEqualTo("hasValue() or (children().count() > id.count())");
    assertThat(element.getConstraintFirstRep().getHuman())
        .isEqualTo("All FHIR elements must have a @value or children");
  }
}
