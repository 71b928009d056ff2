package dk.sektorbro.gateway.careplan;

import dk.sektorbro.gateway.careplan.Plan.Admission;
import dk.sektorbro.gateway.careplan.Plan.Contact;
import dk.sektorbro.gateway.careplan.Plan.Intervention;
import dk.sektorbro.gateway.careplan.Plan.Meeting;
import dk.sektorbro.gateway.careplan.Plan.Section;
import dk.sektorbro.gateway.careplan.Plan.YesNo;
import dk.sektorbro.gateway.mapping.DateTimes;
import dk.sektorbro.gateway.mapping.MappingIssue;
import dk.sektorbro.gateway.mapping.PlanData;
import dk.sektorbro.gateway.mapping.PlanField;
import dk.sektorbro.gateway.record.CanonicalRecord;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns the plan part of a mapped record into a typed {@link Plan}. Pure: every problem becomes a
 * {@link MappingIssue} naming the plan field (never its value, which may be personal data).
 */
public final class PlanAssembler {

  /** The plan, or the issues that keep it from being one. */
  public sealed interface Result {
    record Assembled(Plan plan) implements Result {}

    record Refused(List<MappingIssue> issues) implements Result {}
  }

  public Result assemble(String source, CanonicalRecord record, PlanData data) {
    List<MappingIssue> issues = new ArrayList<>();
    PlanKind kind = PlanKind.byCode(String.valueOf(data.kind())).orElse(null);
    if (kind == null) {
      issues.add(
          issue(
              "plan.kind",
              "plan-kind",
              "not a plan kind (kip, crisis-plan, discharge-agreement, "
                  + "coordination-plan, care-course-plan)"));
    }
    int version = version(data.field(PlanField.VERSION), issues);
    Dates dates = new Dates(data, issues);
    LocalDate date = dates.get(PlanField.DATE);
    if (data.field(PlanField.NUMBER) == null) {
      issues.add(issue("plan.number", "required", "the plan number is required"));
    }
    if (date == null && data.field(PlanField.DATE) == null) {
      issues.add(issue("plan.date", "required", "the plan date is required"));
    }
    Meeting meeting =
        new Meeting(
            dates.get(PlanField.MEETING_DATE),
            null,
            data.field(PlanField.MEETING_PRESENT),
            data.field(PlanField.MEETING_ABSENT));
    Meeting next =
        new Meeting(
            dates.get(PlanField.NEXT_MEETING_DATE),
            data.field(PlanField.NEXT_MEETING_PLACE),
            null,
            null);
    Admission admission =
        new Admission(
            dates.get(PlanField.ADMISSION_DATE),
            dates.get(PlanField.EXPECTED_DISCHARGE_DATE),
            dates.get(PlanField.READY_FOR_DISCHARGE_DATE));
    YesNo agreed = yesNo(data, PlanField.CITIZEN_AGREED, issues);
    if (kind == PlanKind.COORDINATION_PLAN && agreed == YesNo.UNKNOWN) {
      // §13b: a coordination plan is by definition made without the citizen's agreement (source
      // 003).
      agreed = YesNo.NO;
    }
    agreement(kind, agreed, issues);
    LocalDate endDate = dates.get(PlanField.END_DATE);
    if (date != null && endDate != null && endDate.isBefore(date)) {
      issues.add(issue("plan.endDate", "date-order", "the plan cannot end before its date"));
    }
    List<Contact> contacts = contacts(data);
    if ((kind == PlanKind.DISCHARGE_AGREEMENT || kind == PlanKind.COORDINATION_PLAN)
        && contacts.isEmpty()) {
      // Shared without consent under §13c with the parties of the plan: one that names nobody
      // tells the recipient neither whom to call nor who takes part (domain.md §2, the contact
      // person is recorded in the discharge agreement or coordination plan).
      issues.add(
          issue(
              "plan.contacts",
              "plan-parties",
              "a discharge agreement (§13a) or coordination plan (§13b) names its contact persons"
                  + " (at least the contact person); none were given"));
    }
    YesNo consent = yesNo(data, PlanField.CONSENT_TO_PLAN, issues);
    if (kind == PlanKind.KIP && consent != YesNo.YES) {
      consentToMake(data.field(PlanField.CONSENT_TO_PLAN) == null, consent, issues);
    }
    YesNo approved = yesNo(data, PlanField.APPROVED_BY_CITIZEN, issues);
    if (!issues.isEmpty()) {
      return new Result.Refused(List.copyOf(issues));
    }
    return new Result.Assembled(
        new Plan(
            kind,
            source,
            data.field(PlanField.NUMBER),
            version,
            date,
            record.citizen(),
            data.field(PlanField.CITIZEN_ADDRESS),
            data.field(PlanField.CITIZEN_PHONE),
            record.sender(),
            record.author(),
            data.field(PlanField.ACTING_MUNICIPALITY),
            data.field(PlanField.PAYING_MUNICIPALITY),
            consent,
            approved,
            agreed,
            meeting,
            next,
            data.field(PlanField.MINUTE_TAKER),
            admission,
            contacts,
            interventions(data),
            sections(data),
            endDate));
  }

  /**
   * The two Psychiatry Act plans differ in exactly one fact (domain.md §4, W2): a §13a discharge
   * agreement is made with the citizen's agreement; when the citizen refuses, the department makes
   * a §13b coordination plan instead. A plan that says otherwise would go out under §13c with a
   * title that misstates what the citizen agreed to. Other kinds do not carry the fact at all.
   */
  private static void agreement(PlanKind kind, YesNo agreed, List<MappingIssue> issues) {
    if (kind != PlanKind.DISCHARGE_AGREEMENT
        && kind != PlanKind.COORDINATION_PLAN
        && kind != null
        && agreed != YesNo.UNKNOWN) {
      // Its "no" is the §13b warning on every rendering: on a crisis plan it misstated the plan.
      issues.add(
          issue(
              "plan.citizenAgreed",
              "plan-field-kind",
              "only discharge agreements and coordination plans record whether the citizen agreed;"
                  + " for other plans map the citizen's approval to approvedByCitizen"));
    }
    if (kind == PlanKind.DISCHARGE_AGREEMENT && agreed == YesNo.NO) {
      issues.add(
          issue(
              "plan.citizenAgreed",
              "plan-agreement",
              "a discharge agreement (§13a) is made with the citizen's agreement;"
                  + " without it, send a coordination plan (§13b)"));
    }
    // Not stated is not agreed: sent as an agreement, it would tell every recipient the citizen
    // agreed, and go out under §13c as one.
    if (kind == PlanKind.DISCHARGE_AGREEMENT && agreed == YesNo.UNKNOWN) {
      issues.add(
          issue(
              "plan.citizenAgreed",
              "plan-agreement",
              "a discharge agreement (§13a) must say that the citizen agreed (citizenAgreed = yes);"
                  + " if the citizen did not, send a coordination plan (§13b)"));
    }
    if (kind == PlanKind.COORDINATION_PLAN && agreed == YesNo.YES) {
      issues.add(
          issue(
              "plan.citizenAgreed",
              "plan-agreement",
              "a coordination plan (§13b) is made without the citizen's agreement;"
                  + " with it, send a discharge agreement (§13a)"));
    }
  }

  /**
   * A KIP is made with the citizen (domain.md W1: the patient agrees to the coordination meeting,
   * 003:529-543), and its form records the citizen's consent to making it (003:719-731). A KIP
   * whose form says no is a plan the citizen did not consent to: not a KIP anyone may receive,
   * whatever sharing consent is registered (that consent is to disclosing a plan, not to making
   * it). Not stated is not consented, as for a §13a agreement: it would reach recipients as a KIP
   * the citizen took part in.
   */
  private static void consentToMake(boolean notStated, YesNo consent, List<MappingIssue> issues) {
    if (notStated) {
      issues.add(
          issue(
              "plan.consentToPlan",
              "plan-consent",
              "a KIP must say that the citizen consented to making it (consentToPlan = yes);"
                  + " a KIP is made with the citizen's consent"));
    } else if (consent == YesNo.NO) {
      issues.add(
          issue(
              "plan.consentToPlan",
              "plan-consent",
              "the citizen did not consent to making this KIP (consentToPlan = no):"
                  + " it is not shared with anyone, whatever consent to disclosure is registered"));
    }
  }

  private static List<Contact> contacts(PlanData data) {
    return data.group(PlanField.Group.CONTACTS).stream()
        .map(
            r ->
                new Contact(
                    r.get("role"),
                    r.get("name"),
                    r.get("title"),
                    r.get("workplace"),
                    r.get("phone"),
                    r.get("email")))
        .toList();
  }

  private static List<Intervention> interventions(PlanData data) {
    return data.group(PlanField.Group.INTERVENTIONS).stream()
        .map(
            r ->
                new Intervention(
                    r.get("title"), r.get("goal"), r.get("timetable"), r.get("responsible")))
        .toList();
  }

  private static List<Section> sections(PlanData data) {
    List<Section> sections = new ArrayList<>();
    for (PlanSection section : PlanSection.values()) {
      String text = data.field(section.field());
      if (text != null) {
        sections.add(new Section(section, text));
      }
    }
    return sections;
  }

  private static int version(String raw, List<MappingIssue> issues) {
    try {
      int version = Integer.parseInt(String.valueOf(raw).strip());
      if (version >= 1) {
        return version;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    issues.add(
        issue("plan.version", "plan-version", "the plan version must be a whole number from 1"));
    return 0;
  }

  private static YesNo yesNo(PlanData data, PlanField field, List<MappingIssue> issues) {
    String value = data.field(field);
    if (value == null) {
      return YesNo.UNKNOWN;
    }
    return switch (value.toLowerCase()) {
      case "yes", "true" -> YesNo.YES;
      case "no", "false" -> YesNo.NO;
      default -> {
        issues.add(
            issue(
                "plan." + field.key(),
                "yes-no",
                "expected yes or no (map the source's values to them)"));
        yield YesNo.UNKNOWN;
      }
    };
  }

  private static MappingIssue issue(String field, String rule, String message) {
    return new MappingIssue(field, null, rule, message);
  }

  /** Reads date fields given as a date (2026-11-18) or a date-time; reports the field otherwise. */
  private record Dates(PlanData data, List<MappingIssue> issues) {
    private static final ZoneId DANISH_TIME = ZoneId.of("Europe/Copenhagen");

    LocalDate get(PlanField field) {
      String raw = data.field(field);
      if (raw == null) {
        return null;
      }
      // A date without an offset is a Danish calendar date (DateTimes reads it at Danish midnight);
      // a date-time with any offset is the day it falls on in Denmark, so the same instant is the
      // same day however the source wrote it (a plan's end decides §13c disclosures).
      OffsetDateTime dateTime = DateTimes.parse(raw);
      if (dateTime != null) {
        return dateTime.atZoneSameInstant(DANISH_TIME).toLocalDate();
      }
      issues.add(
          issue("plan." + field.key(), "date", "not a date (expected ISO 8601, e.g. 2026-11-18)"));
      return null;
    }
  }
}
