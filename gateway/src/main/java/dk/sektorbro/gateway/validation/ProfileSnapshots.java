package dk.sektorbro.gateway.validation;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.support.IValidationSupport;
import ca.uhn.hapi.converters.canonical.VersionCanonicalizer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.hl7.fhir.common.hapi.validation.validator.ProfileKnowledgeWorkerR5;
import org.hl7.fhir.common.hapi.validation.validator.WorkerContextValidationSupportAdapter;
import org.hl7.fhir.r4.model.StructureDefinition;
import org.hl7.fhir.r5.conformance.profile.ProfileUtilities;
import org.hl7.fhir.utilities.validation.ValidationMessage;

/**
 * Generates the snapshot of every StructureDefinition of the gateway's own profiles/ (they are
 * written as differentials) once, while the chain is loaded, with HAPI's snapshot generator.
 *
 * <p>Without it HAPI's validator generated each snapshot lazily, on whichever worker thread first
 * met the profile: every worker at once did the same work on the same shared resource (HAPI marks
 * the resource "being generated" in its user data, so a second thread can take it for a circular
 * dependency and get no snapshot; hapi-fhir #8034), and whatever the generator reported was thrown
 * away (HAPI's SnapshotGeneratingValidationSupport does not read its messages). Here an error is a
 * load failure naming the profile: a profile the validator cannot complete is a mistake in
 * profiles/, not something to find in one message months later.
 */
final class ProfileSnapshots {

  private ProfileSnapshots() {}

  /**
   * The profiles with their snapshots, in the order given; each one is a new resource (HAPI caches
   * its conversions in a resource's user data, so a changed resource could be read stale).
   *
   * @param support where the base definitions are: R4 core, the chain's packages and the profiles
   * @throws IllegalStateException naming every profile the generator reported an error for
   */
  static List<StructureDefinition> generate(
      FhirContext fhir, List<StructureDefinition> profiles, IValidationSupport support) {
    WorkerContextValidationSupportAdapter context =
        WorkerContextValidationSupportAdapter.newVersionSpecificWorkerContextWrapper(support);
    VersionCanonicalizer canonical = new VersionCanonicalizer(fhir);
    Map<String, StructureDefinition> done = new LinkedHashMap<>();
    List<String> errors = new ArrayList<>();
    for (StructureDefinition profile : profiles) {
      if (profile.hasSnapshot()) {
        done.put(profile.getUrl(), profile);
        continue;
      }
      org.hl7.fhir.r5.model.StructureDefinition derived =
          canonical.structureDefinitionToCanonical(profile.copy());
      StructureDefinition ownBase = done.get(derived.getBaseDefinition());
      org.hl7.fhir.r5.model.StructureDefinition base =
          ownBase != null
              ? canonical.structureDefinitionToCanonical(ownBase.copy())
              : context.fetchResource(
                  org.hl7.fhir.r5.model.StructureDefinition.class, derived.getBaseDefinition());
      if (base == null || !base.hasSnapshot()) {
        errors.add(profile.getUrl() + ": base " + derived.getBaseDefinition() + " not found");
        continue;
      }
      List<ValidationMessage> messages = new ArrayList<>();
      try {
        new ProfileUtilities(context, messages, new ProfileKnowledgeWorkerR5(fhir))
            .generateSnapshot(base, derived, derived.getUrl(), null, derived.getName());
      } catch (RuntimeException e) {
        errors.add(profile.getUrl() + ": " + e.getMessage());
        continue;
      }
      messages.stream()
          .filter(m -> m.getLevel().isError())
          .forEach(
              m -> errors.add(profile.getUrl() + ": " + m.getLocation() + " " + m.getMessage()));
      if (derived.getSnapshot().getElement().isEmpty()) {
        errors.add(profile.getUrl() + ": the snapshot is empty");
      }
      StructureDefinition complete =
          (StructureDefinition) canonical.structureDefinitionFromCanonical(derived);
      done.put(profile.getUrl(), LeanConformance.strip(complete));
    }
    if (!errors.isEmpty()) {
      throw new IllegalStateException(
          "gateway profile snapshots cannot be generated: " + String.join("; ", errors));
    }
    return profiles.stream().map(p -> done.get(p.getUrl())).toList();
  }

  /** The profiles with every profile's own base (one of them) before it. */
  static List<StructureDefinition> basesFirst(List<StructureDefinition> profiles) {
    Map<String, StructureDefinition> byUrl = new LinkedHashMap<>();
    profiles.forEach(p -> byUrl.put(p.getUrl(), p));
    Map<String, StructureDefinition> ordered = new LinkedHashMap<>();
    for (StructureDefinition profile : profiles) {
      addAfterBases(profile, byUrl, ordered, new ArrayList<>());
    }
    return List.copyOf(ordered.values());
  }

  private static void addAfterBases(
      StructureDefinition profile,
      Map<String, StructureDefinition> byUrl,
      Map<String, StructureDefinition> ordered,
      List<String> path) {
    if (ordered.containsKey(profile.getUrl())) {
      return;
    }
    if (path.contains(profile.getUrl())) {
      throw new IllegalStateException(
          "gateway profiles derive from each other in a circle: " + path);
    }
    path.add(profile.getUrl());
    StructureDefinition base = byUrl.get(profile.getBaseDefinition());
    if (base != null) {
      addAfterBases(base, byUrl, ordered, path);
    }
    ordered.put(profile.getUrl(), profile);
  }
}
