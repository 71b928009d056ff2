package dk.sektorbro.gateway.careplan;

import static dk.sektorbro.gateway.careplan.DocumentProfiles.*;

import dk.sektorbro.gateway.careplan.Plan.YesNo;
import dk.sektorbro.gateway.record.Cpr;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;
import org.hl7.fhir.r4.model.BooleanType;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CarePlan;
import org.hl7.fhir.r4.model.CareTeam;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Composition;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.DateType;
import org.hl7.fhir.r4.model.Enumerations.AdministrativeGender;
import org.hl7.fhir.r4.model.Goal;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.InstantType;
import org.hl7.fhir.r4.model.Narrative;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.PositiveIntType;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.StringType;
import ca.uhn.fhir.model.api.TemporalPrecisionEnum;

/**
 * One plan version as a FHIR document on MedComDocument 2.0.2: Composition (LOINC 81215-6 "Care
 * plan", plan kind as extension), Patient, author Organization, CarePlan with Goals and
 * Conditions, CareTeam for the contacts. Each Composition section carries the same Danish XHTML as
 * the PDF. A later version names the one it replaces in {@code Composition.relatesTo}.
 */
public final class PlanDocumentBuilder {

  private static final ZoneId DANISH_TIME = ZoneId.of("Europe/Copenhagen");

  private final Clock clock;
  private final String fullUrlBase;
  private final Supplier<UUID> uuids;
  private final PlanHtml html = new PlanHtml();

  public PlanDocumentBuilder(Clock clock, String fullUrlBase, Supplier<UUID> uuids) {
    this.clock = clock;
    this.fullUrlBase = fullUrlBase.endsWith("/") ? fullUrlBase.substring(0, fullUrlBase.length() - 1) : fullUrlBase;
    this.uuids = uuids;
  }

  /** The document; {@code replaces} is the Composition identifier of the previous version, or null. */
  public PlanDocument build(Plan plan, String replaces) {
    Bundle bundle = new Bundle();
    bundle.setId(uuid());
    bundle.getMeta().addProfile(BUNDLE);
    bundle.setIdentifier(new Identifier().setSystem(URI_SYSTEM).setValue("urn:uuid:" + uuid()));
    bundle.setType(Bundle.BundleType.DOCUMENT);
    bundle.setTimestampElement(new InstantType(Date.from(clock.instant()), TemporalPrecisionEnum.SECOND,
        java.util.TimeZone.getTimeZone(DANISH_TIME)));

    Patient patient = patient(plan);
    Organization author = organization(plan);
    List<Condition> conditions = conditions(plan, patient);
    List<Goal> goals = goals(plan, patient);
    CareTeam team = plan.contacts().isEmpty() ? null : careTeam(plan, patient, author);
    CarePlan carePlan = carePlan(plan, patient, author, team, conditions, goals);
    Composition composition = composition(plan, patient, author, carePlan, team, conditions, goals, replaces);

    List<Resource> resources = new ArrayList<>(List.of(composition, patient, author, carePlan));
    if (team != null) {
      resources.add(team);
    }
    resources.addAll(conditions);
    resources.addAll(goals);
    for (Resource resource : resources) {
      bundle.addEntry().setFullUrl(fullUrlBase + "/" + resource.fhirType() + "/" + resource.getIdPart())
          .setResource(resource);
    }
    return new PlanDocument(bundle.getIdPart(), composition.getIdentifier().getValue(), bundle);
  }

  private Composition composition(Plan plan, Patient patient, Organization author, CarePlan carePlan, CareTeam team,
      List<Condition> conditions, List<Goal> goals, String replaces) {
    Composition c = new Composition();
    c.setId(uuid());
    c.getMeta().addProfile(COMPOSITION);
    c.setLanguage("da");
    c.addExtension(PLAN_KIND_EXTENSION, new Coding(PlanKind.SYSTEM, plan.kind().code(), plan.kind().display()));
    c.addExtension(PLAN_VERSION_EXTENSION, new PositiveIntType(plan.version()));
    c.setIdentifier(new Identifier().setSystem(URI_SYSTEM).setValue("urn:uuid:" + uuid()));
    c.setStatus(Composition.CompositionStatus.FINAL);
    c.setType(new CodeableConcept(new Coding(LOINC, CARE_PLAN_TYPE, CARE_PLAN_TYPE_DISPLAY)).setText(plan.kind().display()));
    c.addCategory(new CodeableConcept(new Coding(CLASS_CODE_SYSTEM, "001", "Klinisk rapport")));
    c.setSubject(ref(patient));
    c.setDateElement(dateTime(plan.date()));
    c.addAuthor(ref(author));
    c.setTitle(PlanHtml.title(plan) + ", version " + plan.version());
    c.setConfidentiality(Composition.DocumentConfidentiality.N);
    c.addEvent().getPeriod().setStartElement(dateTime(plan.date()));
    if (replaces != null) {
      // The previous version stays retrievable; this one supersedes it (FHIR document-relationship-type).
      c.addRelatesTo().setCode(Composition.DocumentRelationshipType.REPLACES)
          .setTarget(new Identifier().setSystem(URI_SYSTEM).setValue(replaces));
    }
    c.setText(narrative("<h1>" + PlanHtml.escape(PlanHtml.header(plan)) + "</h1>" + PlanHtml.warningBlock(plan)));
    List<PlanHtml.Part> parts = html.parts(plan);
    for (int i = 0; i < parts.size(); i++) {
      PlanHtml.Part part = parts.get(i);
      Composition.SectionComponent section = c.addSection().setTitle(part.title());
      // The warnings open the first section too, so no reader of the sections alone misses them.
      section.setText(narrative((i == 0 ? PlanHtml.warningBlock(plan) : "") + part.body()));
      if (i == 0) {
        section.addEntry(ref(carePlan));
      } else if (part.title().equals("Kontaktpersoner") && team != null) {
        section.addEntry(ref(team));
      } else if (part.title().equals("Konkrete indsatser")) {
        goals.forEach(g -> section.addEntry(ref(g)));
      } else if (part.title().equals(PlanSection.MENTAL_ILLNESS.title()) && !conditions.isEmpty()) {
        section.addEntry(ref(conditions.get(0)));
      }
    }
    return c;
  }

  private CarePlan carePlan(Plan plan, Patient patient, Organization author, CareTeam team,
      List<Condition> conditions, List<Goal> goals) {
    CarePlan p = new CarePlan();
    p.setId(uuid());
    p.getMeta().addProfile(CARE_PLAN);
    flag(p, CONSENT_TO_PLAN_EXTENSION, plan.consentToPlan());
    flag(p, APPROVED_BY_CITIZEN_EXTENSION, plan.approvedByCitizen());
    flag(p, CITIZEN_AGREED_EXTENSION, plan.citizenAgreed());
    p.addIdentifier().setSystem(PLAN_NUMBER_SYSTEM + plan.source()).setValue(plan.number());
    p.setStatus(CarePlan.CarePlanStatus.ACTIVE);
    p.setIntent(CarePlan.CarePlanIntent.PLAN);
    p.addCategory(new CodeableConcept(new Coding(PlanKind.SYSTEM, plan.kind().code(), plan.kind().display())));
    p.setTitle(PlanHtml.title(plan));
    p.setSubject(ref(patient));
    p.getPeriod().setStartElement(dateTime(plan.admission().admitted() != null ? plan.admission().admitted() : plan.date()));
    if (plan.admission().expectedDischarge() != null) {
      p.getPeriod().setEndElement(dateTime(plan.admission().expectedDischarge()));
    }
    p.setCreatedElement(dateTime(plan.date()));
    p.setAuthor(ref(author));
    if (team != null) {
      p.addCareTeam(ref(team));
    }
    conditions.forEach(condition -> p.addAddresses(ref(condition)));
    goals.forEach(goal -> p.addGoal(ref(goal)));
    for (int i = 0; i < plan.interventions().size(); i++) {
      Plan.Intervention intervention = plan.interventions().get(i);
      CarePlan.CarePlanActivityDetailComponent detail = p.addActivity().getDetail();
      detail.setStatus(CarePlan.CarePlanActivityStatus.NOTSTARTED);
      detail.setDescription(intervention.title() + (intervention.responsible() == null ? ""
          : " (ansvarlig: " + intervention.responsible() + ")"));
      if (intervention.timetable() != null) {
        detail.setScheduled(new StringType(intervention.timetable()));
      }
      detail.addGoal(ref(goals.get(i)));
    }
    p.setText(narrative("<p><b>" + PlanHtml.escape(PlanHtml.header(plan)) + "</b></p>" + PlanHtml.warningBlock(plan)));
    return p;
  }

  private void flag(CarePlan p, String url, YesNo value) {
    if (value != YesNo.UNKNOWN) {
      p.addExtension(url, new BooleanType(value == YesNo.YES));
    }
  }

  private CareTeam careTeam(Plan plan, Patient patient, Organization author) {
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
      String who = String.join(", ", nonNull(contact.name(), contact.title(), contact.workplace(),
          contact.phone() == null ? null : "tlf. " + contact.phone(), contact.email()));
      t.addParticipant().addRole(new CodeableConcept().setText(contact.role()))
          .setMember(new Reference().setDisplay(who));
      div.append("<li>").append(PlanHtml.escape(contact.role() + ": " + who)).append("</li>");
    }
    t.setText(narrative(div.append("</ul>").toString()));
    return t;
  }

  private List<Condition> conditions(Plan plan, Patient patient) {
    List<Condition> conditions = new ArrayList<>();
    for (Plan.Section section : plan.sections()) {
      if (section.kind() == PlanSection.MENTAL_ILLNESS || section.kind() == PlanSection.SUBSTANCE_MISUSE) {
        Condition c = new Condition();
        c.setId(uuid());
        c.setClinicalStatus(new CodeableConcept(new Coding(
            "http://terminology.hl7.org/CodeSystem/condition-clinical", "active", "Active")));
        c.setCode(new CodeableConcept().setText(section.text()));
        c.setSubject(ref(patient));
        c.setText(narrative("<p>" + PlanHtml.escape(section.kind().title() + ": " + section.text()) + "</p>"));
        conditions.add(c);
      }
    }
    return conditions;
  }

  private List<Goal> goals(Plan plan, Patient patient) {
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

  private Patient patient(Plan plan) {
    Patient p = new Patient();
    p.setId(uuid());
    p.getMeta().addProfile(PATIENT);
    String cpr = plan.citizen().cpr();
    p.addIdentifier().setSystem(CPR_SYSTEM).setValue(cpr);
    p.addName().setUse(org.hl7.fhir.r4.model.HumanName.NameUse.OFFICIAL).setFamily(plan.citizen().familyName())
        .addGiven(plan.citizen().givenName());
    // CPR: the last digit is odd for men, even for women.
    p.setGender(Character.getNumericValue(cpr.charAt(9)) % 2 == 1 ? AdministrativeGender.MALE : AdministrativeGender.FEMALE);
    p.setBirthDateElement(new DateType(Cpr.birthDate(cpr).toString()));
    p.setText(narrative("<p>" + PlanHtml.escape(PlanHtml.name(plan.citizen().givenName(), plan.citizen().familyName())
        + ", CPR-nr. " + PlanHtml.cpr(cpr)) + "</p>"));
    return p;
  }

  private Organization organization(Plan plan) {
    Organization o = new Organization();
    o.setId(uuid());
    o.getMeta().addProfile(ORGANIZATION);
    o.addIdentifier().setSystem(SOR_SYSTEM).setValue(plan.author().sor());
    o.setName(plan.author().name() != null ? plan.author().name() : "SOR " + plan.author().sor());
    o.setText(narrative("<p>" + PlanHtml.escape(o.getName() + " (SOR " + plan.author().sor() + ")") + "</p>"));
    return o;
  }

  private static List<String> nonNull(String... values) {
    return java.util.Arrays.stream(values).filter(v -> v != null && !v.isBlank()).toList();
  }

  private static Reference ref(Resource resource) {
    return new Reference(resource.fhirType() + "/" + resource.getIdPart());
  }

  private static DateTimeType dateTime(LocalDate date) {
    return new DateTimeType(date.toString());
  }

  private static Narrative narrative(String xhtmlBody) {
    Narrative n = new Narrative().setStatus(Narrative.NarrativeStatus.GENERATED);
    n.setDivAsString("<div xmlns=\"http://www.w3.org/1999/xhtml\">" + xhtmlBody + "</div>");
    return n;
  }

  private String uuid() {
    return uuids.get().toString();
  }

  /** The built document with what storage and versioning need. */
  public record PlanDocument(String id, String compositionIdentifier, Bundle bundle) {}
}
