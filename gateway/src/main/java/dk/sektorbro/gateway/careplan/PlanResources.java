package dk.sektorbro.gateway.careplan;

import static dk.sektorbro.gateway.careplan.DocumentProfiles.*;

import dk.sektorbro.gateway.record.Cpr;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;
import org.hl7.fhir.r4.model.CareTeam;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.DateType;
import org.hl7.fhir.r4.model.Enumerations.AdministrativeGender;
import org.hl7.fhir.r4.model.Goal;
import org.hl7.fhir.r4.model.HumanName;
import org.hl7.fhir.r4.model.Narrative;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;

/**
 * The resources of a care-plan document around the Composition and the CarePlan: the citizen
 * (medcom-document-patient), the author (medcom-document-organization), the contacts
 * (medcom-document-careteam), mental illness and misuse (Condition) and one Goal per intervention.
 */
final class PlanResources {

  private final Supplier<UUID> uuids;

  PlanResources(Supplier<UUID> uuids) {
    this.uuids = uuids;
  }

  CareTeam careTeam(Plan plan, Patient patient, Organization author) {
    CareTeam t = new CareTeam();
    t.setId(uuid());
    t.getMeta().addProfile(CARE_TEAM);
    t.addIdentifier().setSystem(URI_SYSTEM).setValue("urn:uuid:" + uuid());
    t.setStatus(CareTeam.CareTeamStatus.ACTIVE);
    t.setName("Kontaktpersoner, " + PlanHtml.title(plan));
    t.setSubject(ref(patient));
    t.addManagingOrganization(ref(author));
    StringBuilder div = new StringBuilder("<ul>");
    for (Plan.Contact contact : plan.contacts()) {
      String who =
          String.join(
              ", ",
              nonNull(
                  contact.name(),
                  contact.title(),
                  contact.workplace(),
                  contact.phone() == null ? null : "tlf. " + contact.phone(),
                  contact.email()));
      t.addParticipant()
          .addRole(new CodeableConcept().setText(contact.role()))
          .setMember(new Reference().setDisplay(who));
      div.append("<li>").append(PlanHtml.escape(contact.role() + ": " + who)).append("</li>");
    }
    t.setText(narrative(div.append("</ul>").toString()));
    return t;
  }

  List<Condition> conditions(Plan plan, Patient patient) {
    List<Condition> conditions = new ArrayList<>();
    for (Plan.Section section : plan.sections()) {
      if (section.kind() == PlanSection.MENTAL_ILLNESS
          || section.kind() == PlanSection.SUBSTANCE_MISUSE) {
        Condition c = new Condition();
        c.setId(uuid());
        c.setClinicalStatus(
            new CodeableConcept(
                new Coding(
                    "http://terminology.hl7.org/CodeSystem/condition-clinical",
                    "active",
                    "Active")));
        c.setCode(new CodeableConcept().setText(section.text()));
        c.setSubject(ref(patient));
        c.setText(
            narrative(
                "<p>" + PlanHtml.escape(section.kind().title() + ": " + section.text()) + "</p>"));
        conditions.add(c);
      }
    }
    return conditions;
  }

  List<Goal> goals(Plan plan, Patient patient) {
    List<Goal> goals = new ArrayList<>();
    for (Plan.Intervention intervention : plan.interventions()) {
      Goal g = new Goal();
      g.setId(uuid());
      g.setLifecycleStatus(Goal.GoalLifecycleStatus.ACTIVE);
      String text = intervention.goal() != null ? intervention.goal() : intervention.title();
      g.setDescription(new CodeableConcept().setText(text));
      g.setSubject(ref(patient));
      g.setText(narrative("<p>" + PlanHtml.escape(intervention.title() + ": " + text) + "</p>"));
      goals.add(g);
    }
    return goals;
  }

  Patient patient(Plan plan) {
    Patient p = new Patient();
    p.setId(uuid());
    p.getMeta().addProfile(PATIENT);
    String cpr = plan.citizen().cpr();
    p.addIdentifier().setSystem(CPR_SYSTEM).setValue(cpr);
    p.addName()
        .setUse(HumanName.NameUse.OFFICIAL)
        .setFamily(plan.citizen().familyName())
        .addGiven(plan.citizen().givenName());
    // CPR: the last digit is odd for men, even for women.
    p.setGender(
        Character.getNumericValue(cpr.charAt(9)) % 2 == 1
            ? AdministrativeGender.MALE
            : AdministrativeGender.FEMALE);
    p.setBirthDateElement(new DateType(Cpr.birthDate(cpr).toString()));
    p.setText(
        narrative(
            "<p>"
                + PlanHtml.escape(
                    PlanHtml.name(plan.citizen().givenName(), plan.citizen().familyName())
                        + ", CPR-nr. "
                        + PlanHtml.cpr(cpr))
                + "</p>"));
    return p;
  }

  Organization organization(Plan plan) {
    Organization o = new Organization();
    o.setId(uuid());
    o.getMeta().addProfile(ORGANIZATION);
    o.addIdentifier().setSystem(SOR_SYSTEM).setValue(plan.author().sor());
    o.setName(plan.author().name() != null ? plan.author().name() : "SOR " + plan.author().sor());
    o.setText(
        narrative(
            "<p>" + PlanHtml.escape(o.getName() + " (SOR " + plan.author().sor() + ")") + "</p>"));
    return o;
  }

  private static List<String> nonNull(String... values) {
    return Arrays.stream(values).filter(v -> v != null && !v.isBlank()).toList();
  }

  static Reference ref(Resource resource) {
    return new Reference(resource.fhirType() + "/" + resource.getIdPart());
  }

  static DateTimeType dateTime(LocalDate date) {
    return new DateTimeType(date.toString());
  }

  static Narrative narrative(String xhtmlBody) {
    Narrative n = new Narrative().setStatus(Narrative.NarrativeStatus.GENERATED);
    n.setDivAsString("<div xmlns=\"http://www.w3.org/1999/xhtml\">" + xhtmlBody + "</div>");
    return n;
  }

  private String uuid() {
    return uuids.get().toString();
  }
}
