package dk.sektorbro.gateway.careplan;

import dk.sektorbro.gateway.careplan.PlanSides.Side;
import dk.sektorbro.gateway.mapping.MappingIssue;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * A care-course plan (plejeforløbsplan) goes from the hospital to the municipality: it tells the
 * municipality the expected stay and the expected ready-for-discharge date so it can prepare the
 * discharge (domain.md §4 and W1 step 3, 003:824-834). No other plan kind is given a direction.
 * Pure: the sides come from {@link PlanSides}.
 */
final class CareCourseDirection {

  static final String RULE = "plan-direction";

  private CareCourseDirection() {}

  /**
   * The issues that keep the plan from going from {@code sender} to {@code recipient}: a sender
   * that is not a hospital, or a recipient the registry places outside the municipality. A
   * recipient the registry cannot place is left to addressing and the consent gate.
   */
  static List<MappingIssue> check(
      PlanKind kind, String source, Optional<Side> sender, Optional<Side> recipient) {
    List<MappingIssue> issues = new ArrayList<>();
    if (kind != PlanKind.CARE_COURSE_PLAN) {
      return issues;
    }
    if (sender.orElse(null) != Side.HOSPITAL) {
      issues.add(
          new MappingIssue(
              "plan.kind",
              null,
              RULE,
              "a care-course plan (plejeforløbsplan) goes from the hospital to the municipality;"
                  + " source "
                  + source
                  + " does not send for a hospital (its mapping's sender kind)"));
    }
    if (recipient.isPresent() && recipient.get() != Side.MUNICIPALITY) {
      issues.add(
          new MappingIssue(
              "recipient.sor",
              null,
              RULE,
              "a care-course plan (plejeforløbsplan) goes from the hospital to the municipality;"
                  + " the SOR registry places the recipient in sector "
                  + recipient.get().name().toLowerCase(Locale.ROOT)));
    }
    return issues;
  }
}
