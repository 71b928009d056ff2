package dk.sektorbro.gateway.consent;

import dk.sektorbro.gateway.consent.ConsentValidator.Result;
import dk.sektorbro.gateway.platform.web.Issue;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.MessageSource;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The consent registry: records, revokes and imports consents and refusals, each change in one
 * transaction, then announces it ({@link ConsentChanged}) so held messages are looked at again.
 * Logs ids and types only, never the citizen.
 */
@Service
public class ConsentRegistry {

  private static final Logger log = LoggerFactory.getLogger(ConsentRegistry.class);

  private final ConsentRepository repository;
  private final TransactionTemplate tx;
  private final Clock clock;
  private final ApplicationEventPublisher events;
  private final ConsentValidator validator;
  private final DisclosureFollowUp followUp;
  private final MessageSource messages;

  /** How often an import is read again after meeting a concurrent import's inserts. */
  private static final int IMPORT_ATTEMPTS = 3;

  public ConsentRegistry(
      ConsentRepository repository,
      TransactionTemplate tx,
      Clock clock,
      ApplicationEventPublisher events,
      DisclosureFollowUp followUp,
      MessageSource messages) {
    this.validator = new ConsentValidator(messages);
    this.repository = repository;
    this.tx = tx;
    this.clock = clock;
    this.events = events;
    this.followUp = followUp;
    this.messages = messages;
  }

  /** Records a consent or refusal; {@code actor} is the gateway user who entered it (audited). */
  public Result record(ConsentInput input, String actor) {
    Result result = validator.validate(input, UUID.randomUUID().toString(), now());
    if (result.valid()) {
      tx.executeWithoutResult(
          status -> {
            repository.insert(result.record());
            audited(actor, ConsentAudited.Action.RECORDED, result.record());
          });
      log.info("consent recorded id={} type={}", result.record().id(), result.record().type());
      events.publishEvent(new ConsentChanged(result.record().citizenCpr()));
    }
    return result;
  }

  /**
   * Empty when there is no such consent; a result with issue {@code already-revoked} when it was
   * revoked before.
   */
  public Optional<Result> revoke(String id, ConsentInput.Revocation input, String actor) {
    Optional<ConsentRecord> consent = repository.find(id);
    if (consent.isEmpty()) {
      return Optional.empty();
    }
    if (consent.get().revocation() != null) {
      return Optional.of(
          new Result(
              null,
              List.of(
                  Issue.of("revocation", "already-revoked", "this consent was revoked before"))));
    }
    Result result = validator.revocation(consent.get(), input, now());
    if (result.valid()) {
      boolean revoked =
          Boolean.TRUE.equals(
              tx.execute(
                  s -> {
                    boolean done = repository.revoke(id, result.record().revocation());
                    if (done) {
                      audited(actor, ConsentAudited.Action.REVOKED, result.record());
                    }
                    return done;
                  }));
      if (!revoked) {
        return Optional.of(
            new Result(
                null,
                List.of(
                    Issue.of("revocation", "already-revoked", "this consent was revoked before"))));
      }
      log.info("consent revoked id={}", id);
      // Dated before a disclosure already made on it: a possible breach, flagged on each message.
      followUp.revoked(id, result.record().revocation().revokedAt());
      events.publishEvent(new ConsentChanged(consent.get().citizenCpr()));
    }
    return Optional.of(result);
  }

  /**
   * Imports all or nothing: every consent is validated first. A consent whose id is already
   * registered (or named earlier in the same import) is the same consent: skipped when nothing
   * changed, revoked when the import says it was revoked since (the other system's next export),
   * and refused ({@code registered-differently}) when its recipients, categories, purpose or period
   * differ: a consent is never changed by an import, a narrowed one must not be kept wide. Two
   * imports of the same export at once: the later insert meets the earlier's committed rows and the
   * import is read again (then they are "skipped"); {@link ImportConflict} when that keeps
   * happening.
   */
  public ImportResult importAll(List<ConsentInput> inputs, String actor) {
    for (int attempt = 1; ; attempt++) {
      try {
        return importOnce(inputs, actor);
      } catch (DuplicateKeyException e) {
        if (attempt == IMPORT_ATTEMPTS) {
          throw new ImportConflict();
        }
        log.info("consent import met a concurrent import of the same consents; reading again");
      }
    }
  }

  private ImportResult importOnce(List<ConsentInput> inputs, String actor) {
    List<ConsentRecord> accepted = new ArrayList<>();
    List<ConsentRecord> revocations = new ArrayList<>();
    Map<String, ConsentRecord> named = new HashMap<>();
    List<IndexedIssue> issues = new ArrayList<>();
    int skipped = 0;
    OffsetDateTime now = now();
    for (int i = 0; i < inputs.size(); i++) {
      String id = keepableId(inputs.get(i).id());
      Result result =
          validator.validate(inputs.get(i), id == null ? UUID.randomUUID().toString() : id, now);
      for (Issue issue : result.issues()) {
        issues.add(new IndexedIssue(i, issue));
      }
      if (!result.valid()) {
        continue;
      }
      ConsentRecord incoming = result.record();
      ConsentRecord known =
          id == null ? null : named.getOrDefault(id, repository.find(id).orElse(null));
      if (known == null) {
        accepted.add(incoming);
        named.put(id == null ? incoming.id() : id, incoming);
      } else if (!ConsentIdentity.same(known, incoming)) {
        issues.add(
            new IndexedIssue(
                i,
                Issue.of(
                    "id",
                    "registered-differently",
                    messages.getMessage(
                        "consent.issue.registered-differently",
                        new Object[] {ConsentIdentity.difference(known, incoming)},
                        Locale.ROOT))));
      } else if (incoming.revocation() != null && known.revocation() == null) {
        ConsentRecord revoked = known.revoked(incoming.revocation());
        if (accepted.remove(known)) {
          accepted.add(revoked);
        } else {
          revocations.add(revoked);
        }
        named.put(id, revoked);
      } else {
        // The same consent, or an older export of one revoked since: a revocation is not undone.
        skipped++;
      }
    }
    if (!issues.isEmpty()) {
      return new ImportResult(0, skipped, 0, issues);
    }
    List<ConsentRecord> revoked = new ArrayList<>();
    tx.executeWithoutResult(
        status -> {
          accepted.forEach(
              c -> {
                repository.insert(c);
                if (c.revocation() != null) {
                  repository.revoke(c.id(), c.revocation());
                }
                audited(actor, ConsentAudited.Action.IMPORTED, c);
              });
          revocations.forEach(
              c -> {
                // Revoked meanwhile by another request: its revocation stands.
                if (repository.revoke(c.id(), c.revocation())) {
                  audited(actor, ConsentAudited.Action.REVOKED, c);
                  revoked.add(c);
                }
              });
        });
    log.info(
        "consents imported count={} revoked={} skipped={}",
        accepted.size(),
        revoked.size(),
        skipped + revocations.size() - revoked.size());
    // As a revocation through the API: one dated before a disclosure made on it is flagged.
    revoked.forEach(c -> followUp.revoked(c.id(), c.revocation().revokedAt()));
    Set<String> citizens = new LinkedHashSet<>();
    accepted.forEach(c -> citizens.add(c.citizenCpr()));
    revoked.forEach(c -> citizens.add(c.citizenCpr()));
    citizens.forEach(cpr -> events.publishEvent(new ConsentChanged(cpr)));
    return new ImportResult(
        accepted.size(), skipped + revocations.size() - revoked.size(), revoked.size(), List.of());
  }

  public Optional<ConsentRecord> find(String id) {
    return repository.find(id);
  }

  public List<ConsentRecord> forCitizen(String cpr) {
    return repository.forCitizen(cpr);
  }

  /** The citizen's consents and the plan version the journal entry carries, in one read. */
  ConsentRepository.ConsentsAndPlan forCitizenWithCarriedPlan(String cpr, String journalId) {
    return repository.forCitizenWithCarriedPlan(cpr, journalId);
  }

  private OffsetDateTime now() {
    return OffsetDateTime.now(clock);
  }

  // In the change's transaction: the audit record (admin's listener) commits with it or not at all.
  private void audited(String actor, ConsentAudited.Action action, ConsentRecord c) {
    events.publishEvent(
        new ConsentAudited(
            actor == null ? "?" : actor,
            action,
            c.id(),
            c.type().name().toLowerCase()
                + (c.revocation() != null ? ", revoked at " + c.revocation().revokedAt() : "")
                + ", form "
                + (c.form() == null ? "?" : c.form().code())
                + (c.givenBy() != null && c.givenBy().type() == ConsentRecord.GrantorType.PROXY
                    ? ", given by a proxy"
                    : "")
                + (c.witness() != null ? ", witnessed" : ", no witness")));
  }

  // Ids from another system are kept when they fit the registry (UUIDs), so re-imports are
  // idempotent.
  private static String keepableId(String id) {
    if (id == null) {
      return null;
    }
    try {
      return UUID.fromString(id).toString().equals(id.toLowerCase()) ? id.toLowerCase() : null;
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  /** Issue of the {@code index}-th consent of an import. */
  public record IndexedIssue(int index, Issue issue) {}

  /**
   * What an import did: consents registered, those already registered and unchanged, and those
   * registered before and revoked by this import; or the issues that refused it.
   */
  public record ImportResult(int imported, int skipped, int revoked, List<IndexedIssue> issues) {}

  /** The same consents kept being inserted by another import at the same time. */
  public static final class ImportConflict extends RuntimeException {
    ImportConflict() {
      super("consent import: the same consents were being imported by another request");
    }
  }
}
