package dk.sektorbro.gateway.mapping;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The plan fields a mapping's {@code plan.fields} may fill (domain.md §4: the KIP form, crisis
 * plan, discharge agreement §13a, coordination plan §13b, care-course plan). Free-text parts of a
 * plan are fields too; which kind shows which part, and under which Danish heading, is decided in
 * {@code dk.sektorbro.gateway.careplan}.
 */
public enum PlanField {
  NUMBER("number"),
  VERSION("version"),
  /** When this version of the plan was made (date or date-time). */
  DATE("date"),
  /** When the plan ended or ends (optional): a §13c disclosure needs a plan that has not ended. */
  END_DATE("endDate"),
  ACTING_MUNICIPALITY("actingMunicipality"),
  PAYING_MUNICIPALITY("payingMunicipality"),
  CITIZEN_ADDRESS("citizenAddress"),
  CITIZEN_PHONE("citizenPhone"),
  /** yes/no: the citizen consents to making the plan (KIP form). */
  CONSENT_TO_PLAN("consentToPlan"),
  /** yes/no: the citizen approved the plan. */
  APPROVED_BY_CITIZEN("approvedByCitizen"),
  /** yes/no: the citizen agreed (§13a agreement) or did not (§13b coordination plan). */
  CITIZEN_AGREED("citizenAgreed"),
  MEETING_DATE("meetingDate"),
  MEETING_PRESENT("meetingPresent"),
  MEETING_ABSENT("meetingAbsent"),
  NEXT_MEETING_DATE("nextMeetingDate"),
  NEXT_MEETING_PLACE("nextMeetingPlace"),
  MINUTE_TAKER("minuteTaker"),
  ADMISSION_DATE("admissionDate"),
  EXPECTED_DISCHARGE_DATE("expectedDischargeDate"),
  READY_FOR_DISCHARGE_DATE("readyForDischargeDate"),
  MENTAL_ILLNESS("mentalIllness"),
  SUBSTANCE_MISUSE("substanceMisuse"),
  HOUSING("housing"),
  FINANCES("finances"),
  FAMILY("family"),
  NETWORK("network"),
  EMPLOYMENT("employment"),
  ILLNESS_STATUS("illnessStatus"),
  MISUSE_STATUS("misuseStatus"),
  OTHER_PLANS("otherPlans"),
  FUTURE_WISHES("futureWishes"),
  EARLY_SIGNS("earlySigns"),
  AFFECT_STRATEGIES("affectStrategies"),
  ADMISSION_CRITERIA("admissionCriteria"),
  ADMISSION_ALTERNATIVES("admissionAlternatives"),
  TREATMENT_OFFERS("treatmentOffers"),
  SOCIAL_OFFERS("socialOffers"),
  FOLLOW_UP("followUp"),
  ADMISSION_ORIENTATION("admissionOrientation"),
  DISCHARGE_STATUS("dischargeStatus"),
  COORDINATION_NEEDS("coordinationNeeds");

  private final String key;

  PlanField(String key) {
    this.key = key;
  }

  public String key() {
    return key;
  }

  public static Optional<PlanField> byKey(String key) {
    return Arrays.stream(values()).filter(f -> f.key.equals(key)).findFirst();
  }

  /** Repeated groups under {@code plan.groups}, each with its own field keys. */
  public enum Group {
    /** Contact persons with their role on the form (coordinator, GP, relatives, ...). */
    CONTACTS("contacts", List.of("role", "name", "title", "workplace", "phone", "email")),
    /** Concrete interventions: title, goal and description, timetable, responsible. */
    INTERVENTIONS("interventions", List.of("title", "goal", "timetable", "responsible"));

    private final String key;
    private final List<String> fields;

    Group(String key, List<String> fields) {
      this.key = key;
      this.fields = fields;
    }

    public String key() {
      return key;
    }

    public List<String> fields() {
      return fields;
    }

    public static Optional<Group> byKey(String key) {
      return Arrays.stream(values()).filter(g -> g.key.equals(key)).findFirst();
    }
  }
}
