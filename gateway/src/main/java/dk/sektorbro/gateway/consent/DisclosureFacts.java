package dk.sektorbro.gateway.consent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dk.sektorbro.gateway.addressing.Identifiers;
import dk.sektorbro.gateway.addressing.RegistryService;
import dk.sektorbro.gateway.addressing.RegistrySnapshot;
import dk.sektorbro.gateway.addressing.RegistryUnit;
import dk.sektorbro.gateway.addressing.Successors;
import dk.sektorbro.gateway.careplan.DocumentRepository;
import dk.sektorbro.gateway.careplan.DocumentRepository.StoredDocument;
import dk.sektorbro.gateway.journal.Journal;
import dk.sektorbro.gateway.journal.JournalEntry;
import dk.sektorbro.gateway.mapping.MappingDefinition;
import dk.sektorbro.gateway.mapping.MappingRegistry;
import dk.sektorbro.gateway.record.CanonicalRecord;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.springframework.stereotype.Component;

/**
 * What the gateway itself knows about a disclosure, beyond what the record claims: the sender's
 * kind (from the source's mapping, confirmed by the SOR registry), the recipient's sector and the
 * organisations whose consent reaches it (registry hierarchy and successors, as of now), and the
 * §13a/§13b plan the disclosure belongs to (from the gateway's own plan documents). The policy
 * stays a pure function of these facts.
 */
@Component
public class DisclosureFacts {

  private static final ZoneId REGISTER_ZONE = ZoneId.of("Europe/Copenhagen");

  private final RegistryService registry;
  private final MappingRegistry mappings;
  private final DocumentRepository documents;
  private final Journal journal;
  private final ObjectMapper json;
  private final Clock clock;

  public DisclosureFacts(RegistryService registry, MappingRegistry mappings, DocumentRepository documents,
      Journal journal, ObjectMapper json, Clock clock) {
    this.registry = registry;
    this.mappings = mappings;
    this.documents = documents;
    this.journal = journal;
    this.json = json;
    this.clock = clock;
  }

  /**
   * The disclosure of one journaled record, with the consents' SOR codes it must be able to tell
   * "reached or not" for ({@code consentSors}).
   */
  public Disclosure of(JournalEntry entry, CanonicalRecord r, Collection<String> consentSors) {
    Optional<RegistrySnapshot> snapshot = registry.active();
    LocalDate today = LocalDate.now(clock.withZone(REGISTER_ZONE));
    RecipientKind kind = CodedValue.byCode(RecipientKind.class, r.recipientKind()).orElse(null);
    CanonicalRecord.Organisation to = r.recipient();
    String sor = to == null ? null : Identifiers.normalise(to.sor());
    Disclosure.Recipient recipient = new Disclosure.Recipient(sor, to == null ? null : to.name(), kind,
        snapshot.map(s -> sector(s, sor)).orElse(null),
        snapshot.map(s -> coveredBy(s, sor, consentSors, today)).orElse(Map.of()));
    return new Disclosure(
        // A citizen without a CPR number is identified by the replacement CPR (issue 13, tec-04):
        // no consent is recorded under it, so only a legal basis can permit the disclosure.
        r.citizen() == null ? null : r.citizen().cpr() != null ? r.citizen().cpr() : r.citizen().replacementCpr(),
        recipient,
        r.informationCategories(),
        r.purpose(),
        r.category(),
        r.legalBasis(),
        r.legalBasisJustification(),
        sender(entry == null ? null : entry.source(), r.sender(), snapshot),
        plan(entry, r));
  }

  // ---- sender ----

  Disclosure.Sender sender(String source, CanonicalRecord.Organisation from, Optional<RegistrySnapshot> snapshot) {
    MappingDefinition mapping = source == null ? null : mappings.find(source).orElse(null);
    if (mapping == null || mapping.senderKind() == null) {
      return Disclosure.Sender.unknown("source " + source + " declares no sender kind in its mapping");
    }
    SenderKind declared = CodedValue.byCode(SenderKind.class, mapping.senderKind()).orElse(null);
    if (declared == null) {
      return Disclosure.Sender.unknown("source " + source + " declares an unknown sender kind");
    }
    String sor = from == null ? null : Identifiers.normalise(from.sor());
    if (snapshot.isEmpty()) {
      return Disclosure.Sender.unknown("no SOR registry snapshot is active to confirm sender " + sor);
    }
    if (sor == null || snapshot.get().unit(sor).isEmpty()) {
      return Disclosure.Sender.unknown("sender SOR " + sor + " is not in the registry snapshot");
    }
    Sector sector = sector(snapshot.get(), sor);
    if (sector == null) {
      return Disclosure.Sender.unknown("the registry gives no sector for sender SOR " + sor);
    }
    if (sector != declared.sector()) {
      return Disclosure.Sender.unknown("source " + source + " declares " + declared.code()
          + ", but the registry places sender SOR " + sor + " in sector " + sector.code());
    }
    return new Disclosure.Sender(declared, declared.code() + " (mapping of source " + source
        + "; registry sector " + sector.code() + " for SOR " + sor + ", snapshot " + snapshot.get().info().id() + ")");
  }

  /** The sector of a unit: the nearest institution type that names one, else its owner's type. */
  static Sector sector(RegistrySnapshot snapshot, String sor) {
    if (sor == null) {
      return null;
    }
    List<RegistryUnit> path = snapshot.path(sor);
    for (int i = path.size() - 1; i >= 0; i--) {
      Sector s = Sector.ofInstitutionType(path.get(i).institutionType());
      if (s != null) {
        return s;
      }
    }
    for (RegistryUnit u : path) {
      Sector s = Sector.ofOwnerType(u.ownerType());
      if (s != null) {
        return s;
      }
    }
    return null;
  }

  // ---- recipient coverage ----

  /**
   * Which of the consents' SOR codes reach {@code sor} without naming it: a unit above it in the
   * hierarchy (as of this snapshot), or a closed unit whose successor chain ends at it or above it.
   */
  static Map<String, String> coveredBy(RegistrySnapshot snapshot, String sor, Collection<String> consentSors,
      LocalDate today) {
    if (sor == null || snapshot.unit(sor).isEmpty()) {
      return Map.of();
    }
    List<RegistryUnit> path = snapshot.path(sor);
    Set<String> above = path.stream().map(RegistryUnit::sorId).filter(s -> !s.equals(sor)).collect(Collectors.toSet());
    Map<String, String> covered = new LinkedHashMap<>();
    String snapshotId = snapshot.info().id();
    for (String raw : consentSors) {
      String c = Identifiers.normalise(raw);
      if (c == null || c.equals(sor) || covered.containsKey(c)) {
        continue;
      }
      if (above.contains(c)) {
        covered.put(c, "SOR " + sor + " is below " + c + " (" + name(snapshot, c) + ") in the registry hierarchy"
            + " (snapshot " + snapshotId + ")");
        continue;
      }
      RegistryUnit named = snapshot.unit(c).orElse(null);
      if (named == null || named.activeOn(today)) {
        continue;
      }
      Successors.Chain chain = Successors.follow(snapshot, named, today);
      if (chain.end() == Successors.End.ACTIVE) {
        String successor = chain.last().sorId();
        if (successor.equals(sor) || above.contains(successor)) {
          covered.put(c, c + " (" + named.name() + ") closed " + named.validTo() + " and was succeeded by " + successor
              + (successor.equals(sor) ? "" : ", above " + sor) + " (snapshot " + snapshotId + ")");
        }
      }
    }
    return covered;
  }

  private static String name(RegistrySnapshot snapshot, String sor) {
    return snapshot.unit(sor).map(RegistryUnit::name).orElse("?");
  }

  // ---- plan ----

  /**
   * The plan the disclosure belongs to: the plan version the message itself carries, else the
   * plan the record refers to by number, as the gateway stored it (newest version for this citizen).
   */
  Disclosure.PlanFact plan(JournalEntry entry, CanonicalRecord r) {
    if (entry != null) {
      Optional<StoredDocument> carried = documents.findByJournalId(entry.id());
      if (carried.isPresent()) {
        StoredDocument d = carried.get();
        return new Disclosure.PlanFact(d.planNumber(), d.planKind(), true,
            "the message carries version " + d.planVersion() + " of plan " + d.planNumber());
      }
    }
    String reference = r.planReference();
    if (reference == null || reference.isBlank()) {
      return null;
    }
    List<StoredDocument> versions = documents.byPlanNumber(reference.strip());
    if (versions.isEmpty()) {
      return new Disclosure.PlanFact(reference, null, false, "no plan document with this number was sent through the gateway");
    }
    String cpr = r.citizen() == null ? null : r.citizen().cpr();
    Optional<StoredDocument> own = versions.stream().filter(d -> cpr != null && cpr.equals(citizenOf(d.journalId())))
        .max(Comparator.comparingInt(StoredDocument::planVersion));
    if (own.isEmpty()) {
      StoredDocument any = versions.get(0);
      return new Disclosure.PlanFact(reference, any.planKind(), false, "plan " + reference + " is about another citizen");
    }
    StoredDocument d = own.get();
    return new Disclosure.PlanFact(reference, d.planKind(), true, "plan " + reference + " version " + d.planVersion()
        + " (" + d.planKind() + ", from source " + d.source() + ", document " + d.id() + ")");
  }

  private String citizenOf(String journalId) {
    return journal.find(journalId).map(JournalEntry::canonicalRecord).map(this::cpr).orElse(null);
  }

  private String cpr(String canonicalJson) {
    try {
      JsonNode node = json.readTree(canonicalJson).path("citizen").path("cpr");
      return node.isTextual() ? node.asText() : null;
    } catch (java.io.IOException e) {
      return null;
    }
  }
}
