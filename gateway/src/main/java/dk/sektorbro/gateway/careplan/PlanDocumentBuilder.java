package dk.sektorbro.gateway.careplan;

import static dk.sektorbro.gateway.careplan.DocumentProfiles.*;

import ca.uhn.fhir.model.api.TemporalPrecisionEnum;
import dk.sektorbro.gateway.careplan.Plan.YesNo;
import java.time.Clock;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.TimeZone;
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
import org.hl7.fhir.r4.model.Goal;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.InstantType;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.PositiveIntType;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.StringType;

/**
 * One plan version as a FHIR document on MedComDocument 2.0.2: Composition (LOINC 81215-6 "Care
 * plan", plan kind as extension), Patient, author Organization, CarePlan with Goals and Conditions,
 * CareTeam for the contacts. Each Composition section carries the same Danish XHTML as the PDF. A
 * later version names the one it replaces in {@code Composition.relatesTo}.
 */
public final class PlanDocumentBuilder {

  private static final ZoneId DANISH_TIME = ZoneId.of("Europe/Copenhagen");

  private final Clock clock;
  private final String fullUrlBase;
  private final Supplier<UUID> uuids;
  private final PlanHtml html = new PlanHtml();
  private final PlanResources resources;

  public PlanDocumentBuilder(Clock clock, String fullUrlBase, Supplier<UUID> uuids) {
    this.clock = clock;
    this.fullUrlBase =
        fullUrlBase.endsWith("/")
            ? fullUrlBase.substring(0, fullUrlBase.length() - 1)
            : fullUrlBase;
    this.uuids = uuids;
    this.resources = new PlanResources(uuids);
  }

  /**
   * The document; {@code replaces} is the Composition identifier of the previous version, or null.
   */
  public PlanDocument build(Plan plan, String replaces) {
    Bundle bundle = new Bundle();
    bundle.setId(uuid());
    bundle.getMeta().addProfile(BUNDLE);
    bundle.setIdentifier(new Identifier().setSystem(URI_SYSTEM).setValue("urn:uuid:" + uuid()));
    bundle.setType(Bundle.BundleType.DOCUMENT);
    bundle.setTimestampElement(
        new InstantType(
            Date.from(clock.instant()),
            TemporalPrecisionEnum.SECOND,
            TimeZone.getTimeZone(DANISH_TIME)));

    Patient patient = resources.patient(plan);
    Organization author = resources.organization(plan);
    List<Condition> conditions = resources.conditions(plan, patient);
    List<Goal> goals = resources.goals(plan, patient);
    CareTeam team = plan.contacts().isEmpty() ? null : resources.careTeam(plan, patient, author);
    CarePlan carePlan = carePlan(plan, patient, author, team, conditions, goals);
    Composition composition =
        composition(plan, patient, author, carePlan, team, conditions, goals, replaces);

    List<Resource> resources = new ArrayList<>(List.of(composition, patient, author, carePlan));
    if (team != null) {
      resources.add(team);
    }
    resources.addAll(conditions);
    resources.addAll(goals);
    for (Resource resource : resources) {
      bundle
          .addEntry()
          .setFullUrl(fullUrlBase + "/" + resource.fhirType() + "/" + resource.getIdPart())
          .setResource(resource);
    }
    return new PlanDocument(bundle.getIdPart(), composition.getIdentifier().getValue(), bundle);
  }

  /**
   * Sets the version the Composition replaces: {@code replaces} is the replaced version's
   * Composition identifier, or null for none. The previous version stays retrievable; this one
   * supersedes it (FHIR document-relationship-type).
   */
  static void replaces(Composition c, String replaces) {
    c.getRelatesTo().removeIf(r -> r.getCode() == Composition.DocumentRelationshipType.REPLACES);
    if (replaces != null) {
      c.addRelatesTo()
          .setCode(Composition.DocumentRelationshipType.REPLACES)
          .setTarget(new Identifier().setSystem(URI_SYSTEM).setValue(replaces));
    }
  }

  private Composition composition(
      Plan plan,
      Patient patient,
      Organization author,
      CarePlan carePlan,
      CareTeam team,
      List<Condition> conditions,
      List<Goal> goals,
      String replaces) {
    Composition c = new Composition();
    c.setId(uuid());
    c.getMeta().addProfile(COMPOSITION);
    c.setLanguage("da");
    c.addExtension(
        PLAN_KIND_EXTENSION,
        new Coding(PlanKind.SYSTEM, plan.kind().code(), plan.kind().display()));
    c.addExtension(PLAN_VERSION_EXTENSION, new PositiveIntType(plan.version()));
    c.setIdentifier(new Identifier().setSystem(URI_SYSTEM).setValue("urn:uuid:" + uuid()));
    c.setStatus(Composition.CompositionStatus.FINAL);
    c.setType(
        new CodeableConcept(new Coding(LOINC, CARE_PLAN_TYPE, CARE_PLAN_TYPE_DISPLAY))
            .setText(plan.kind().display()));
    c.addCategory(new CodeableConcept(new Coding(CLASS_CODE_SYSTEM, "001", "Klinisk rapport")));
    c.setSubject(PlanResources.ref(patient));
    c.setDateElement(PlanResources.dateTime(plan.date()));
    c.addAuthor(PlanResources.ref(author));
    c.setTitle(PlanHtml.title(plan) + ", version " + plan.version());
    c.setConfidentiality(Composition.DocumentConfidentiality.N);
    c.addEvent().getPeriod().setStartElement(PlanResources.dateTime(plan.date()));
    replaces(c, replaces);
    c.setText(
        PlanResources.narrative(
            "<h1>"
                + PlanHtml.escape(PlanHtml.header(plan))
                + "</h1>"
                + PlanHtml.warningBlock(plan)));
    List<PlanHtml.Part> parts = html.parts(plan);
    for (int i = 0; i < parts.size(); i++) {
      PlanHtml.Part part = parts.get(i);
      Composition.SectionComponent section = c.addSection().setTitle(part.title());
      // The warnings open the first section too, so no reader of the sections alone misses them.
      section.setText(
          PlanResources.narrative((i == 0 ? PlanHtml.warningBlock(plan) : "") + part.body()));
      if (i == 0) {
        section.addEntry(PlanResources.ref(carePlan));
      } else if (part.title().equals("Kontaktpersoner") && team != null) {
        section.addEntry(PlanResources.ref(team));
      } else if (part.title().equals("Konkrete indsatser")) {
        goals.forEach(g -> section.addEntry(PlanResources.ref(g)));
      } else if (part.title().equals(PlanSection.MENTAL_ILLNESS.title()) && !conditions.isEmpty()) {
        section.addEntry(PlanResources.ref(conditions.get(0)));
      }
    }
    return c;
  }

  private CarePlan carePlan(
      Plan plan,
      Patient patient,
      Organization author,
      CareTeam team,
      List<Condition> conditions,
      List<Goal> goals) {
    CarePlan p = new CarePlan();
    p.setId(uuid());
    p.getMeta().addProfile(CARE_PLAN);
    flag(p, CONSENT_TO_PLAN_EXTENSION, plan.consentToPlan());
    flag(p, APPROVED_BY_CITIZEN_EXTENSION, plan.approvedByCitizen());
    flag(p, CITIZEN_AGREED_EXTENSION, plan.citizenAgreed());
    p.addIdentifier().setSystem(PLAN_NUMBER_SYSTEM + plan.source()).setValue(plan.number());
    p.setStatus(CarePlan.CarePlanStatus.ACTIVE);
    p.setIntent(CarePlan.CarePlanIntent.PLAN);
    p.addCategory(
        new CodeableConcept(
            new Coding(PlanKind.SYSTEM, plan.kind().code(), plan.kind().display())));
    p.setTitle(PlanHtml.title(plan));
    p.setSubject(PlanResources.ref(patient));
    p.getPeriod()
        .setStartElement(
            PlanResources.dateTime(
                plan.admission().admitted() != null ? plan.admission().admitted() : plan.date()));
    if (plan.endDate() != null) {
      // The plan says when it ended (or ends): that, not the expected discharge, bounds it.
      p.getPeriod().setEndElement(PlanResources.dateTime(plan.endDate()));
    } else if (plan.admission().expectedDischarge() != null) {
      p.getPeriod().setEndElement(PlanResources.dateTime(plan.admission().expectedDischarge()));
    }
    p.setCreatedElement(PlanResources.dateTime(plan.date()));
    p.setAuthor(PlanResources.ref(author));
    if (team != null) {
      p.addCareTeam(PlanResources.ref(team));
    }
    conditions.forEach(condition -> p.addAddresses(PlanResources.ref(condition)));
    goals.forEach(goal -> p.addGoal(PlanResources.ref(goal)));
    for (int i = 0; i < plan.interventions().size(); i++) {
      Plan.Intervention intervention = plan.interventions().get(i);
      CarePlan.CarePlanActivityDetailComponent detail = p.addActivity().getDetail();
      detail.setStatus(CarePlan.CarePlanActivityStatus.NOTSTARTED);
      detail.setDescription(
          intervention.title()
              + (intervention.responsible() == null
                  ? ""
                  : " (ansvarlig: " + intervention.responsible() + ")"));
      if (intervention.timetable() != null) {
        detail.setScheduled(new StringType(intervention.timetable()));
      }
      detail.addGoal(PlanResources.ref(goals.get(i)));
    }
    p.setText(
        PlanResources.narrative(
            "<p><b>"
                + PlanHtml.escape(PlanHtml.header(plan))
                + "</b></p>"
                + PlanHtml.warningBlock(plan)));
    return p;
  }

  private void flag(CarePlan p, String url, YesNo value) {
    if (value != YesNo.UNKNOWN) {
      p.addExtension(url, new BooleanType(value == YesNo.YES));
    }
  }

  private String uuid() {
    return uuids.get().toString();
  }

  /** The built document with what storage and versioning need. */
  public record PlanDocument(String id, String compositionIdentifier, Bundle bundle) {}
}
