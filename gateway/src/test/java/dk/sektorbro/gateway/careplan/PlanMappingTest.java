package dk.sektorbro.gateway.careplan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dk.sektorbro.gateway.mapping.CanonicalRecordRules;
import dk.sektorbro.gateway.mapping.MappingDefinition;
import dk.sektorbro.gateway.mapping.MappingIssue;
import dk.sektorbro.gateway.mapping.MappingOutcome;
import dk.sektorbro.gateway.mapping.MappingRegistry;
import dk.sektorbro.gateway.mapping.RecordMapper;
import dk.sektorbro.gateway.support.TestFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The mapping format's plan section: checked at start-up, and plan problems reported by field,
 * never by value.
 */
class PlanMappingTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void kip_mapsEveryPartOfTheForm() {
    Plan plan = SamplePlans.plan("kip-v1.json");

    assertThat(plan.kind()).isEqualTo(PlanKind.KIP);
    assertThat(plan.number()).isEqualTo("KIP-2026-0007");
    assertThat(plan.version()).isEqualTo(1);
    assertThat(plan.actingMunicipality()).isEqualTo("Nordby Kommune");
    assertThat(plan.payingMunicipality()).isEqualTo("Sydby Kommune");
    assertThat(plan.consentToPlan()).isEqualTo(Plan.YesNo.YES);
    assertThat(plan.approvedByCitizen()).isEqualTo(Plan.YesNo.NO);
    assertThat(plan.contacts())
        .hasSize(5)
        .first()
        .satisfies(
            c -> {
              assertThat(c.role()).isEqualTo("Koordinator");
              assertThat(c.email()).isEqualTo("karen.holm@nordby.example");
            });
    assertThat(plan.meeting().absent()).isEqualTo("Anne Testesen");
    assertThat(plan.interventions())
        .extracting(Plan.Intervention::title)
        .containsExactly("Bostøtte", "Misbrugsbehandling");
    assertThat(plan.sections())
        .extracting(Plan.Section::kind)
        .contains(PlanSection.MENTAL_ILLNESS, PlanSection.HOUSING, PlanSection.FUTURE_WISHES);
    assertThat(plan.nextMeeting().place()).isEqualTo("Nordby Rådhus, mødelokale 2");
    assertThat(plan.minuteTaker()).isEqualTo("Karen Holm");
  }

  @Test
  void missingPlanNumber_isAMappingIssue() throws IOException {
    ObjectNode record = (ObjectNode) JSON.readTree(SamplePlans.path("kip-v1.json").toFile());
    record.remove("plannummer");
    record.put("plantype", "Handleplan");
    MappingOutcome outcome = mapper().map(mapping(), JSON.writeValueAsBytes(record));

    assertThat(outcome).isInstanceOf(MappingOutcome.Invalid.class);
    assertThat(((MappingOutcome.Invalid) outcome).issues())
        .extracting(MappingIssue::field)
        .contains("plan.number", "plan.kind");
    assertThat(outcome.toString()).doesNotContain("Handleplan");
  }

  @Test
  void badVersionAndDate_areRefusedByTheAssembler() throws IOException {
    ObjectNode record = (ObjectNode) JSON.readTree(SamplePlans.path("kip-v1.json").toFile());
    record.put("version", "to");
    record.put("dato", "i går");
    MappingOutcome.Mapped mapped =
        (MappingOutcome.Mapped) mapper().map(mapping(), JSON.writeValueAsBytes(record));

    PlanAssembler.Result result =
        new PlanAssembler().assemble(SamplePlans.SOURCE, mapped.record(), mapped.plan());

    assertThat(result).isInstanceOf(PlanAssembler.Result.Refused.class);
    assertThat(((PlanAssembler.Result.Refused) result).issues())
        .extracting(MappingIssue::field)
        .containsExactlyInAnyOrder("plan.version", "plan.date");
  }

  /**
   * A plan's dates are Danish calendar dates (a date alone is read at Danish midnight): a date-time
   * with an offset is the day it falls on in Denmark, whatever offset the source wrote. The end of
   * a §13a plan decides whether §13c still carries disclosures (docs/consent.md): the same instant
   * written with a summer offset in winter ended a day later than written in Danish time, and one
   * written in UTC a day earlier than the same date written alone.
   */
  @Test
  void aPlanDateTimeWithAnyOffset_isTheDanishCalendarDate() {
    // 2026-11-30 23:00 Danish time (winter, +01:00), written three ways; and Danish midnight.
    for (String end :
        List.of("2026-11-30T23:00:00+01:00", "2026-12-01T00:00:00+02:00", "2026-11-30T22:00:00Z")) {
      assertThat(endDate(end)).as(end).isEqualTo(LocalDate.of(2026, 11, 30));
    }
    for (String end : List.of("2026-12-01", "2026-11-30T23:00:00Z", "2026-12-01T00:00:00+01:00")) {
      assertThat(endDate(end)).as(end).isEqualTo(LocalDate.of(2026, 12, 1));
    }
  }

  private static LocalDate endDate(String ophoersdato) {
    return SamplePlans.plan(
            "udskrivningsaftale.json",
            json ->
                json.replace(
                    "\"dato\": \"2026-11-20\",",
                    "\"dato\": \"2026-11-20\", \"ophoersdato\": \"" + ophoersdato + "\","))
        .endDate();
  }

  @Test
  void unknownPlanField_stopsTheStart(@TempDir Path dir) throws IOException {
    String yaml =
        Files.readString(TestFiles.REPO.resolve("mappings/nordby-planer.yaml"))
            .replace("    minuteTaker:", "    shoeSize:");
    Files.writeString(dir.resolve("nordby-planer.yaml"), yaml);

    assertThatThrownBy(() -> MappingRegistry.load(dir))
        .hasMessageContaining("plan.fields.shoeSize: unknown plan field");
  }

  private static RecordMapper mapper() {
    return new RecordMapper(new CanonicalRecordRules());
  }

  private static MappingDefinition mapping() {
    return MappingRegistry.load(TestFiles.REPO.resolve("mappings")).get(SamplePlans.SOURCE);
  }
}
