package dk.sektorbro.gateway.careplan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dk.sektorbro.gateway.careplan.PlanSides.Side;
import dk.sektorbro.gateway.mapping.MappingIssue;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** domain.md §4 and W1 step 3 (003:824-834): a care-course plan goes hospital -> municipality. */
class CareCourseDirectionTest {

  @Test
  void hospitalToMunicipality_passes() {
    assertThat(check(PlanKind.CARE_COURSE_PLAN, Side.HOSPITAL, Side.MUNICIPALITY)).isEmpty();
  }

  @Test
  void fromTheMunicipality_isRefused() {
    assertThat(check(PlanKind.CARE_COURSE_PLAN, Side.MUNICIPALITY, Side.MUNICIPALITY))
        .extracting(MappingIssue::field, MappingIssue::rule)
        .containsExactly(tuple("plan.kind", "plan-direction"));
  }

  @Test
  void fromASourceDeclaringNoSenderKind_isRefused_notTakenForAHospital() {
    assertThat(
            CareCourseDirection.check(
                PlanKind.CARE_COURSE_PLAN, "x", Optional.empty(), Optional.of(Side.MUNICIPALITY)))
        .extracting(MappingIssue::rule)
        .containsExactly("plan-direction");
  }

  @Test
  void toAHospitalOrAPractice_isRefused() {
    for (Side to : new Side[] {Side.HOSPITAL, Side.OTHER}) {
      assertThat(check(PlanKind.CARE_COURSE_PLAN, Side.HOSPITAL, to))
          .extracting(MappingIssue::field)
          .containsExactly("recipient.sor");
    }
  }

  @Test
  void aRecipientTheRegistryCannotPlace_isLeftToAddressingAndConsent() {
    assertThat(
            CareCourseDirection.check(
                PlanKind.CARE_COURSE_PLAN, "x", Optional.of(Side.HOSPITAL), Optional.empty()))
        .isEmpty();
  }

  @Test
  void otherKinds_haveNoDirection() {
    for (PlanKind kind : PlanKind.values()) {
      if (kind != PlanKind.CARE_COURSE_PLAN) {
        assertThat(check(kind, Side.MUNICIPALITY, Side.HOSPITAL)).as(kind.code()).isEmpty();
      }
    }
  }

  private static List<MappingIssue> check(PlanKind kind, Side from, Side to) {
    return CareCourseDirection.check(kind, "src", Optional.of(from), Optional.of(to));
  }
}
