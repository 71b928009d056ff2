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
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * The KIP form's "consent from the citizen (to make the KIP) yes/no" (domain.md §3.3 and §4,
 * 003:719-731): a KIP is made with the citizen, so one whose form says no, or says nothing, is
 * refused at intake whatever consent to disclosure is registered. The field is the KIP form's: the
 * other kinds render it as given.
 */
class PlanConsentToMakeTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void aKipTheCitizenDidNotConsentToMake_isRefused() throws IOException {
    PlanAssembler.Result result = assemble("kip-v1.json", r -> r.put("samtykkeTilPlan", "nej"));

    assertThat(result).isInstanceOf(PlanAssembler.Result.Refused.class);
    assertThat(((PlanAssembler.Result.Refused) result).issues())
        .extracting(MappingIssue::field, MappingIssue::rule)
        .containsExactly(tuple("plan.consentToPlan", "plan-consent"));
  }

  @Test
  void aKipThatDoesNotSay_isRefused() throws IOException {
    PlanAssembler.Result result = assemble("kip-v1.json", r -> r.remove("samtykkeTilPlan"));

    assertThat(result).isInstanceOf(PlanAssembler.Result.Refused.class);
    assertThat(((PlanAssembler.Result.Refused) result).issues())
        .extracting(MappingIssue::field, MappingIssue::rule)
        .containsExactly(tuple("plan.consentToPlan", "plan-consent"));
  }

  @Test
  void aKipTheCitizenConsentedToMake_isAssembled() throws IOException {
    PlanAssembler.Result result = assemble("kip-v1.json", r -> {});

    assertThat(result).isInstanceOf(PlanAssembler.Result.Assembled.class);
    assertThat(((PlanAssembler.Result.Assembled) result).plan().consentToPlan())
        .isEqualTo(Plan.YesNo.YES);
  }

  @Test
  void anotherKindWhoseFormSaysNo_isAssembled_theFieldIsTheKipForms() throws IOException {
    PlanAssembler.Result result = assemble("kriseplan.json", r -> r.put("samtykkeTilPlan", "nej"));

    assertThat(result).isInstanceOf(PlanAssembler.Result.Assembled.class);
    assertThat(((PlanAssembler.Result.Assembled) result).plan().consentToPlan())
        .isEqualTo(Plan.YesNo.NO);
  }

  private static PlanAssembler.Result assemble(String sample, Consumer<ObjectNode> edit)
      throws IOException {
    ObjectNode record = (ObjectNode) JSON.readTree(SamplePlans.path(sample).toFile());
    edit.accept(record);
    MappingOutcome outcome =
        new RecordMapper(new CanonicalRecordRules())
            .map(
                MappingRegistry.load(TestFiles.REPO.resolve("mappings")).get(SamplePlans.SOURCE),
                JSON.writeValueAsBytes(record));
    assertThat(outcome).isInstanceOf(MappingOutcome.Mapped.class);
    MappingOutcome.Mapped mapped = (MappingOutcome.Mapped) outcome;
    return new PlanAssembler().assemble(SamplePlans.SOURCE, mapped.record(), mapped.plan());
  }
}
