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
import dk.sektorbro.gateway.careplan.PlanDocuments;
import dk.sektorbro.gateway.journal.Journal;
import dk.sektorbro.gateway.journal.JournalEntry;
import dk.sektorbro.gateway.journal.MessageState;
import dk.sektorbro.gateway.mapping.MappingDefinition;
import dk.sektorbro.gateway.mapping.MappingRegistry;
import dk.sektorbro.gateway.record.CanonicalRecord;
import java.io.IOException;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
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
  private final SectorRules sectors;

  public DisclosureFacts(
      RegistryService registry,
      MappingRegistry mappings,
      DocumentRepository documents,
      Journal journal,
      ObjectMapper json,
      Clock clock,
      ConsentProperties properties) {
    this.sectors = properties.sectorRules();
    this.registry = registry;
    this.mappings = mappings;
    this.documents = documents;
    this.journal = journal;
    this.json = json;
    this.clock = clock;
  }

  /**
   * The disclosure of one journaled record, with the consents' SOR codes it must be able to tell
   * "reached or not" for ({@code consentSors}) and the plan version the entry carries ({@code
   * carriedPlan}: read with the consents, or by {@link #carriedPlan}).
   */
  public Disclosure of(
      JournalEntry entry,
      CanonicalRecord r,
      Collection<String> consentSors,
      Optional<StoredDocument> carriedPlan) {
    Optional<RegistrySnapshot> snapshot = registry.active();
    LocalDate today = LocalDate.now(clock.withZone(REGISTER_ZONE));
    RecipientKind kind = CodedValue.byCode(RecipientKind.class, r.recipientKind()).orElse(null);
    CanonicalRecord.Organisation to = r.recipient();
    String sor = to == null ? null : Identifiers.normalise(to.sor());
    Disclosure.Recipient recipient =
        recipient(sor, to == null ? null : to.name(), kind, consentSors, snapshot, today);
    return new Disclosure(
        // A citizen without a CPR number is identified by the replacement CPR (issue 13, tec-04):
        // no consent is recorded under it, so only a legal basis can permit the disclosure.
        r.citizen() == null
            ? null
            : r.citizen().cpr() != null ? r.citizen().cpr() : r.citizen().replacementCpr(),
        recipient,
        r.informationCategories(),
        r.purpose(),
        r.category(),
        r.legalBasis(),
        r.legalBasisJustification(),
        sender(entry == null ? null : entry.source(), r.sender(), snapshot),
        plan(
            entry,
            carriedPlan,
            r,
            r.sender() == null ? null : Identifiers.normalise(r.sender().sor()),
            sor,
            snapshot,
            today));
  }

  /**
   * A recipient unit as the registry places it now, for a disclosure that is no journaled record
   * (the hand-over of a received message to a municipal system): its sector, and which of the
   * consents' SOR codes reach it (a unit above it, a closed unit it succeeded) or do not, as for a
   * record's recipient, so a consent or refusal naming the organisation above it counts alike.
   */
  public Disclosure.Recipient recipient(
      String sor, String name, RecipientKind kind, Collection<String> consentSors) {
    return recipient(
        Identifiers.normalise(sor),
        name,
        kind,
        consentSors,
        registry.active(),
        LocalDate.now(clock.withZone(REGISTER_ZONE)));
  }

  private Disclosure.Recipient recipient(
      String sor,
      String name,
      RecipientKind kind,
      Collection<String> consentSors,
      Optional<RegistrySnapshot> snapshot,
      LocalDate today) {
    return new Disclosure.Recipient(
        sor,
        name,
        kind,
        snapshot.map(s -> sector(s, sor)).orElse(null),
        snapshot.map(s -> coveredBy(s, sor, consentSors, today)).orElse(Map.of()),
        snapshot.map(s -> notCoveredBy(s, sor, consentSors, today)).orElse(Map.of()));
  }

  /**
   * The plan version the entry carries, read on its own: for an entry whose consents were not read
   * with it (no CPR number); none without an entry.
   */
  Optional<StoredDocument> carriedPlan(JournalEntry entry) {
    return entry == null ? Optional.empty() : documents.findByJournalId(entry.id());
  }

  // ---- sender ----

  Disclosure.Sender sender(
      String source, CanonicalRecord.Organisation from, Optional<RegistrySnapshot> snapshot) {
    MappingDefinition mapping = source == null ? null : mappings.find(source).orElse(null);
    if (mapping == null || mapping.senderKind() == null) {
      return Disclosure.Sender.unknown(
          "source " + source + " declares no sender kind in its mapping");
    }
    SenderKind declared = CodedValue.byCode(SenderKind.class, mapping.senderKind()).orElse(null);
    if (declared == null) {
      return Disclosure.Sender.unknown("source " + source + " declares an unknown sender kind");
    }
    String sor = from == null ? null : Identifiers.normalise(from.sor());
    if (snapshot.isEmpty()) {
      return Disclosure.Sender.unknown(
          "no SOR registry snapshot is active to confirm sender " + sor);
    }
    if (sor == null || snapshot.get().unit(sor).isEmpty()) {
      return Disclosure.Sender.unknown("sender SOR " + sor + " is not in the registry snapshot");
    }
    Sector sector = sector(snapshot.get(), sor);
    if (sector == null) {
      return Disclosure.Sender.unknown("the registry gives no sector for sender SOR " + sor);
    }
    if (!sector.within(sectors.of(declared))) {
      return Disclosure.Sender.unknown(
          "source "
              + source
              + " declares "
              + declared.code()
              + ", but the registry places sender SOR "
              + sor
              + " in sector "
              + sector.code());
    }
    return new Disclosure.Sender(
        declared,
        declared.code()
            + " (mapping of source "
            + source
            + "; registry sector "
            + sector.code()
            + " for SOR "
            + sor
            + ", snapshot "
            + snapshot.get().info().id()
            + ")");
  }

  private Sector sector(RegistrySnapshot snapshot, String sor) {
    return sectors.sector(snapshot, sor);
  }

  // ---- recipient coverage ----

  /**
   * Which of the consents' SOR codes reach {@code sor} without naming it: a unit above it in the
   * hierarchy (as of this snapshot), or a closed unit whose successor chain ends at it or above it.
   */
  static Map<String, String> coveredBy(
      RegistrySnapshot snapshot, String sor, Collection<String> consentSors, LocalDate today) {
    return coverage(snapshot, sor, consentSors, today, true);
  }

  /**
   * Which of the consents' SOR codes are closed units succeeded by {@code sor} (or a unit above it)
   * that nevertheless do not reach it, and why: the successor belongs to another owner.
   */
  static Map<String, String> notCoveredBy(
      RegistrySnapshot snapshot, String sor, Collection<String> consentSors, LocalDate today) {
    return coverage(snapshot, sor, consentSors, today, false);
  }

  /**
   * The covered consent SOR codes ({@code covered} true), or the succeeded-but-not-covered ones
   * (false). A successor reaches a consent only under the same institution owner (the root of the
   * registry hierarchy, e.g. the region or the municipality): the citizen consented to disclosure
   * to that data controller, and a register's ReplacedBy across owners (a take-over, or odd data)
   * does not carry it over.
   */
  private static Map<String, String> coverage(
      RegistrySnapshot snapshot,
      String sor,
      Collection<String> consentSors,
      LocalDate today,
      boolean covered) {
    if (sor == null || snapshot.unit(sor).isEmpty()) {
      return Map.of();
    }
    List<RegistryUnit> path = snapshot.path(sor);
    Set<String> above =
        path.stream()
            .map(RegistryUnit::sorId)
            .filter(s -> !s.equals(sor))
            .collect(Collectors.toSet());
    Map<String, String> result = new LinkedHashMap<>();
    String snapshotId = snapshot.info().id();
    String owner = path.isEmpty() ? null : path.get(0).sorId();
    for (String raw : consentSors) {
      String c = Identifiers.normalise(raw);
      if (c == null || c.equals(sor) || result.containsKey(c)) {
        continue;
      }
      if (above.contains(c)) {
        if (!covered) {
          continue;
        }
        result.put(
            c,
            "SOR "
                + sor
                + " is below "
                + c
                + " ("
                + name(snapshot, c)
                + ") in the registry hierarchy"
                + " (snapshot "
                + snapshotId
                + ")");
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
          List<RegistryUnit> namedPath = snapshot.path(c);
          String namedOwner = namedPath.isEmpty() ? null : namedPath.get(0).sorId();
          boolean sameOwner = owner != null && owner.equals(namedOwner);
          if (sameOwner != covered) {
            continue;
          }
          result.put(
              c,
              c
                  + " ("
                  + named.name()
                  + ") closed "
                  + named.validTo()
                  + " and was succeeded by "
                  + successor
                  + (successor.equals(sor) ? "" : ", above " + sor)
                  + (sameOwner
                      ? ""
                      : ", a unit of another owner ("
                          + name(snapshot, owner)
                          + ", not "
                          + (namedOwner == null ? "?" : name(snapshot, namedOwner))
                          + "): a consent does not pass to another owner")
                  + " (snapshot "
                  + snapshotId
                  + ")");
        }
      }
    }
    return result;
  }

  private static String name(RegistrySnapshot snapshot, String sor) {
    return snapshot.unit(sor).map(RegistryUnit::name).orElse("?");
  }

  // ---- plan ----

  /**
   * The plan the disclosure belongs to: the plan version the message itself carries, else the plan
   * the record refers to by number, as the gateway stored it (newest version for this citizen),
   * with whether it is current and whether sender and recipient are parties to it.
   */
  Disclosure.PlanFact plan(
      JournalEntry entry,
      Optional<StoredDocument> carriedPlan,
      CanonicalRecord r,
      String senderSor,
      String recipientSor,
      Optional<RegistrySnapshot> snapshot,
      LocalDate today) {
    if (entry != null && carriedPlan.isPresent()) {
      // The message is the plan version itself: its sender and recipient are its parties, and
      // a version that records the plan's end may of course be sent. But only the psychiatric
      // department concludes a §13a/§13b plan: without it among the parties, it is none.
      StoredDocument d = carriedPlan.get();
      String how = "the message carries version " + d.planVersion() + " of plan " + d.planNumber();
      String noDepartment = null;
      if (LegalBasisRule.PSYCHIATRY_ACT_PLANS.contains(d.planKind())
          && !anyHospital(Stream.of(senderSor, recipientSor), snapshot)) {
        String cpr = r.citizen() == null ? null : r.citizen().cpr();
        Set<String> parties = new TreeSet<>();
        Stream.of(senderSor, recipientSor).filter(Objects::nonNull).forEach(parties::add);
        documents.byPlanNumber(d.planNumber()).stream()
            .filter(v -> !v.id().equals(d.id()))
            .map(this::planVersion)
            .filter(v -> v.delivered() && cpr != null && cpr.equals(v.cpr()))
            .flatMap(v -> Stream.of(v.senderSor(), v.recipientSor()))
            .filter(Objects::nonNull)
            .forEach(parties::add);
        noDepartment = noDepartment(d.planNumber(), parties, snapshot);
      }
      return new Disclosure.PlanFact(
          d.planNumber(), d.planKind(), true, how, null, noDepartment, true);
    }
    String reference = r.planReference();
    if (reference == null || reference.isBlank()) {
      return null;
    }
    List<StoredDocument> versions = documents.byPlanNumber(reference.strip());
    if (versions.isEmpty()) {
      return new Disclosure.PlanFact(
          reference, null, false, "no plan document with this number was sent through the gateway");
    }
    String cpr = r.citizen() == null ? null : r.citizen().cpr();
    List<PlanVersion> own =
        versions.stream()
            .map(this::planVersion)
            .filter(v -> cpr != null && cpr.equals(v.cpr()))
            .toList();
    if (own.isEmpty()) {
      StoredDocument any = versions.get(0);
      return new Disclosure.PlanFact(
          reference, any.planKind(), false, "plan " + reference + " is about another citizen");
    }
    // The newest version decides: an earlier version is superseded by it, and only it can say the
    // plan ended. But a version that never went out (held, failed, discarded, expired: no one has
    // it) cannot make an ended plan current again; one that says the plan has ended counts wherever
    // it stopped.
    List<StoredDocument> newestFirst =
        own.stream()
            .map(PlanVersion::document)
            .sorted(Comparator.comparingInt(StoredDocument::planVersion).reversed())
            .toList();
    Map<String, Set<String>> neverWentOut = new HashMap<>();
    List<StoredDocument> passedOver = new ArrayList<>();
    StoredDocument d = newestFirst.get(0);
    // The oldest version stands for the plan when every later one stopped on its way (it is then
    // not asked about: nothing older could decide instead).
    for (int i = 0; i < newestFirst.size() - 1; i++) {
      StoredDocument v = newestFirst.get(i);
      if (ended(v, today)
          || !neverWentOut
              .computeIfAbsent(
                  v.source(), s -> PlanDocuments.neverWentOut(documents, s, v.planNumber()))
              .contains(v.id())) {
        break;
      }
      passedOver.add(v);
      d = newestFirst.get(i + 1);
    }
    String how =
        "plan "
            + reference
            + " version "
            + d.planVersion()
            + " ("
            + d.planKind()
            + ", from source "
            + d.source()
            + ", document "
            + d.id()
            + ")"
            + passedOver.stream()
                .map(
                    v ->
                        "; version "
                            + v.planVersion()
                            + " (document "
                            + v.id()
                            + ") never went out and does not decide")
                .collect(Collectors.joining());
    String notCurrent =
        ended(d, today)
            ? "plan "
                + reference
                + " ended on "
                + d.endDate()
                + " (version "
                + d.planVersion()
                + "): it no longer"
                + " carries a disclosure under legal basis psychiatry-act-13c"
            : null;
    // Parties are made by versions that reached their recipient: a version held, failed or
    // discarded on its way is no evidence that a unit takes part in the plan.
    Set<String> parties =
        own.stream()
            .filter(PlanVersion::delivered)
            .flatMap(v -> Stream.of(v.senderSor(), v.recipientSor()))
            .filter(Objects::nonNull)
            .collect(Collectors.toCollection(TreeSet::new));
    String notParty = notParty(reference, "sender", senderSor, parties, snapshot, today);
    if (notParty == null) {
      notParty = notParty(reference, "recipient", recipientSor, parties, snapshot, today);
    }
    if (notParty == null && LegalBasisRule.PSYCHIATRY_ACT_PLANS.contains(d.planKind())) {
      notParty = noDepartment(reference, parties, snapshot);
    }
    return new Disclosure.PlanFact(reference, d.planKind(), true, how, notCurrent, notParty);
  }

  private static boolean ended(StoredDocument version, LocalDate today) {
    return version.endDate() != null && version.endDate().isBefore(today);
  }

  /**
   * A unit is a party to the plan when a version of it was sent by or to that unit, to or by a unit
   * above it in the registry (an organisation covers its wards), or by or to a closed unit it
   * succeeded.
   */
  private static String notParty(
      String reference,
      String role,
      String sor,
      Set<String> parties,
      Optional<RegistrySnapshot> snapshot,
      LocalDate today) {
    if (sor != null && parties.contains(sor)) {
      return null;
    }
    if (sor != null
        && snapshot.isPresent()
        && !coveredBy(snapshot.get(), sor, parties, today).isEmpty()) {
      return null;
    }
    return "the "
        + role
        + " (SOR "
        + sor
        + ") is not a party to plan "
        + reference
        + " (its parties: SOR "
        + String.join(", ", parties)
        + ")";
  }

  /**
   * Why a §13a/§13b plan with these parties is none, or null: the psychiatric department concludes
   * a discharge agreement or coordination plan (domain.md §3.4.3, §4; source 003), and §13c lets
   * the others disclose back to it and to each other. Plan versions exchanged only between
   * municipal units, practices or others, with no hospital unit (as the registry places it) among
   * the parties, are not such a plan, whatever the plan module calls them.
   */
  private String noDepartment(
      String reference, Set<String> parties, Optional<RegistrySnapshot> snapshot) {
    if (anyHospital(parties.stream(), snapshot)) {
      return null;
    }
    return "no psychiatric department (a unit the SOR registry places in sector hospital) is a"
        + " party to plan "
        + reference
        + ", so it is no discharge agreement (§13a) or coordination plan (§13b) the department"
        + " concluded (its parties: SOR "
        + String.join(", ", parties)
        + ")";
  }

  private boolean anyHospital(Stream<String> sors, Optional<RegistrySnapshot> snapshot) {
    return snapshot.isPresent()
        && sors.filter(Objects::nonNull)
            .anyMatch(sor -> sector(snapshot.get(), sor) == Sector.HOSPITAL);
  }

  /**
   * One stored version with the facts of the message that carried it: citizen, sender, recipient,
   * and whether it was delivered (SENT or ACKNOWLEDGED).
   */
  private record PlanVersion(
      StoredDocument document,
      String cpr,
      String senderSor,
      String recipientSor,
      boolean delivered) {}

  private static final Set<MessageState> DELIVERED =
      Set.of(MessageState.SENT, MessageState.ACKNOWLEDGED);

  private PlanVersion planVersion(StoredDocument d) {
    JournalEntry carrier = journal.find(d.journalId()).orElse(null);
    if (carrier == null) {
      return new PlanVersion(d, null, null, null, false);
    }
    JsonNode record = readTree(carrier.canonicalRecord());
    return new PlanVersion(
        d,
        text(record.path("citizen").path("cpr")),
        Identifiers.normalise(text(record.path("sender").path("sor"))),
        Identifiers.normalise(
            carrier.recipientSor() != null
                ? carrier.recipientSor()
                : text(record.path("recipient").path("sor"))),
        DELIVERED.contains(carrier.state()));
  }

  private JsonNode readTree(String canonicalJson) {
    try {
      return canonicalJson == null ? json.missingNode() : json.readTree(canonicalJson);
    } catch (IOException e) {
      return json.missingNode();
    }
  }

  private static String text(JsonNode node) {
    return node.isTextual() ? node.asText() : null;
  }
}
