package dk.sektorbro.gateway.careplan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dk.sektorbro.gateway.mapping.CanonicalRecordRules;
import dk.sektorbro.gateway.mapping.MappingIssue;
import dk.sektorbro.gateway.mapping.MappingOutcome;
import dk.sektorbro.gateway.mapping.MappingRegistry;
import dk.sektorbro.gateway.mapping.RecordMapper;
import dk.sektorbro.gateway.support.TestFiles;
import java.io.IOException;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * Who a Psychiatry Act plan must name before it may be sent (domain.md §4 and W2): a §13a discharge
 * agreement is an agreement between the patient, the consultant and the authorities (003:573-591)
 * made because the patient agrees (003:795-806), and the contact person is recorded in the
 * discharge agreement or coordination plan (001:2538-2544). Both plans go out without consent under
 * §13c, to the parties of the plan: one that names nobody, or an "agreement" that does not say the
 * citizen agreed, is not such a plan.
 */
class PlanPartiesTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void aDischargeAgreementThatDoesNotSayTheCitizenAgreed_isRefused() throws IOException {
    PlanAssembler.Result result = assemble("udskrivningsaftale.json", r -> r.remove("borgerEnig"));

    assertThat(issues(result))
        .extracting(MappingIssue::field, MappingIssue::rule)
        .containsExactly(tuple("plan.citizenAgreed", "plan-agreement"));
  }

  @Test
  void aDischargeAgreementWithoutAContactPerson_isRefused() throws IOException {
    PlanAssembler.Result result =
        assemble("udskrivningsaftale.json", r -> r.remove("kontaktpersoner"));

    assertThat(issues(result))
        .extracting(MappingIssue::field, MappingIssue::rule)
        .containsExactly(tuple("plan.contacts", "plan-parties"));
  }

  @Test
  void aCoordinationPlanWithoutAContactPerson_isRefused() throws IOException {
    PlanAssembler.Result result =
        assemble("koordinationsplan.json", r -> r.putArray("kontaktpersoner"));

    assertThat(issues(result))
        .extracting(MappingIssue::field, MappingIssue::rule)
        .containsExactly(tuple("plan.contacts", "plan-parties"));
  }

  @Test
  void otherKindsWithoutContactPersons_areAccepted() throws IOException {
    // The KIP, crisis plan and care-course plan go out on consent; their contacts are content.
    for (String sample : new String[] {"kip-v1.json", "kriseplan.json", "plejeforloebsplan.json"}) {
      assertThat(assemble(sample, r -> r.remove("kontaktpersoner")))
          .as(sample)
          .isInstanceOf(PlanAssembler.Result.Assembled.class);
    }
  }

  @Test
  void aCoordinationPlanThatDoesNotSay_isOneTheCitizenDidNotAgreeTo() throws IOException {
    PlanAssembler.Result result = assemble("koordinationsplan.json", r -> r.remove("borgerEnig"));

    assertThat(result).isInstanceOf(PlanAssembler.Result.Assembled.class);
    assertThat(((PlanAssembler.Result.Assembled) result).plan().citizenAgreed())
        .isEqualTo(Plan.YesNo.NO);
  }

  @Test
  void theSamplesOfBothPsychiatryActPlans_nameTheirParties_andAreAccepted() throws IOException {
    for (String sample : new String[] {"udskrivningsaftale.json", "koordinationsplan.json"}) {
      assertThat(assemble(sample, r -> {}))
          .as(sample)
          .isInstanceOf(PlanAssembler.Result.Assembled.class);
    }
  }

  private static PlanAssembler.Result assemble(String sample, Consumer<ObjectNode> edit)
      throws IOException {
    ObjectNode record = (ObjectNode) JSON.readTree(SamplePlans.path(sample).toFile());
    edit.accept(record);
    MappingOutcome outcome =
        new RecordMapper(new CanonicalRecordRules())
            .map(
                MappingRegistry.load(TestFiles.REPO.resolve("mappings"))
                    .get(SamplePlans.source(sample)),
                JSON.writeValueAsBytes(record));
    assertThat(outcome).isInstanceOf(MappingOutcome.Mapped.class);
    MappingOutcome.Mapped mapped = (MappingOutcome.Mapped) outcome;
    return new PlanAssembler().assemble(SamplePlans.source(sample), mapped.record(), mapped.plan());
  }

  private static List<MappingIssue> issues(PlanAssembler.Result result) {
    assertThat(result).isInstanceOf(PlanAssembler.Result.Refused.class);
    return ((PlanAssembler.Result.Refused) result).issues();
  }
}
