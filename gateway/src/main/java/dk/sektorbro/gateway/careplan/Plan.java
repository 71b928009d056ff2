package dk.sektorbro.gateway.careplan;

import dk.sektorbro.gateway.record.CanonicalRecord;
import java.time.LocalDate;
import java.util.List;

/**
 * One version of a care plan, source-independent: what the document, the PDF and the consent check
 * are made from. Built by {@link PlanAssembler} from a mapped record.
 */
public record Plan(
    PlanKind kind,
    String source,
    String number,
    int version,
    LocalDate date,
    CanonicalRecord.Citizen citizen,
    String citizenAddress,
    String citizenPhone,
    CanonicalRecord.Organisation author,
    CanonicalRecord.Author writtenBy,
    String actingMunicipality,
    String payingMunicipality,
    YesNo consentToPlan,
    YesNo approvedByCitizen,
    YesNo citizenAgreed,
    Meeting meeting,
    Meeting nextMeeting,
    String minuteTaker,
    Admission admission,
    List<Contact> contacts,
    List<Intervention> interventions,
    List<Section> sections,
    LocalDate endDate) {

  public Plan {
    contacts = List.copyOf(contacts);
    interventions = List.copyOf(interventions);
    sections = List.copyOf(sections);
  }

  /** A yes/no answer on the form; UNKNOWN when the source left it empty. */
  public enum YesNo {
    YES("Ja"),
    NO("Nej"),
    UNKNOWN("Ikke angivet");

    private final String danish;

    YesNo(String danish) {
      this.danish = danish;
    }

    public String danish() {
      return danish;
    }
  }

  /** A meeting: date, place, who was present and who was absent (each optional). */
  public record Meeting(LocalDate date, String place, String present, String absent) {
    public boolean isEmpty() {
      return date == null && place == null && present == null && absent == null;
    }
  }

  /** Care-course plan: admission date, expected discharge and expected ready-for-discharge date. */
  public record Admission(
      LocalDate admitted, LocalDate expectedDischarge, LocalDate readyForDischarge) {
    public boolean isEmpty() {
      return admitted == null && expectedDischarge == null && readyForDischarge == null;
    }
  }

  /** A contact person with the role (function) the form gives them. */
  public record Contact(
      String role, String name, String title, String workplace, String phone, String email) {}

  /** A concrete intervention: title, goal and description, timetable, responsible. */
  public record Intervention(String title, String goal, String timetable, String responsible) {}

  /** A free-text part of the plan. */
  public record Section(PlanSection kind, String text) {}
}
