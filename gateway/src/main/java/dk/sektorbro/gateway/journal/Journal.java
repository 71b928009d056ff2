package dk.sektorbro.gateway.journal;

import dk.sektorbro.gateway.platform.ConfiguredSources;
import dk.sektorbro.gateway.platform.FailedEntries;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The journal: every received item, its state and the history of how it got there. Every state
 * change is one transaction with its history event, counted in the metrics and logged by id only.
 */
@Service
public class Journal implements FailedEntries {

  private static final Logger log = LoggerFactory.getLogger(Journal.class);

  private final JournalRepository repository;
  private final TransactionTemplate tx;
  private final Clock clock;
  private final MeterRegistry meters;
  // Logs and metric tags name a source only when it is configured (a REST URL's is client input).
  private final ConfiguredSources sources;
  // The entry read by this thread's last countAttempt, for the stage that follows (forStage).
  private final ThreadLocal<JournalEntry> admitted = new ThreadLocal<>();

  @Autowired
  public Journal(
      JournalRepository repository,
      TransactionTemplate tx,
      Clock clock,
      MeterRegistry meters,
      ConfiguredSources sources) {
    this.repository = repository;
    this.tx = tx;
    this.clock = clock;
    this.meters = meters;
    this.sources = sources;
  }

  /** A journal whose callers only ever name configured sources (tests without mappings). */
  public Journal(
      JournalRepository repository, TransactionTemplate tx, Clock clock, MeterRegistry meters) {
    this(repository, tx, clock, meters, source -> true);
  }

  /**
   * Journals a newly received item in {@code state} (RECEIVED, or FAILED when intake already knows
   * it cannot be processed). Returns the existing entry's id instead when the same record was
   * journaled before.
   */
  public Registration register(
      NewEntry received, MessageState state, String reason, String detail) {
    NewEntry entry = fitted(received);
    // A refusal is the same only when its reason is the same: the same bytes refused for another
    // reason (another Content-Type, a changed mapping) get their own entry, and a later acceptance
    // of bytes once refused is never mistaken for a duplicate of the refusal.
    String key =
        state == MessageState.RECEIVED
            ? entry.idempotencyKey()
            : "refused:" + Columns.digest(String.valueOf(reason)) + "|" + entry.idempotencyKey();
    String id = UUID.randomUUID().toString();
    String receivedReason = "received via " + entry.channel() + " from source " + entry.source();
    if (state == MessageState.RECEIVED) {
      // The common case in one statement (entry and event; a duplicate key writes nothing): one
      // write and one commit, forced to disk before the caller answers or deletes the file.
      if (!repository.insertReceived(id, entry, key, now(), receivedReason)) {
        return receivedBefore(entry, key);
      }
    } else {
      Optional<String> existing = repository.findIdByIdempotencyKey(entry.source(), key);
      if (existing.isPresent()) {
        return duplicate(existing.get(), entry);
      }
      try {
        tx.executeWithoutResult(
            status -> {
              OffsetDateTime now = now();
              repository.insert(id, entry, key, MessageState.RECEIVED, now);
              repository.insertEvent(
                  id, now, MessageState.RECEIVED, "intake", receivedReason, null);
              Lifecycle.check(List.of(MessageState.RECEIVED), state);
              repository.updateState(id, List.of(MessageState.RECEIVED), state, reason, now);
              repository.insertEvent(id, now, state, "intake", reason, detail);
            });
      } catch (DuplicateKeyException raceWithIdenticalSubmission) {
        return duplicate(
            repository.findIdByIdempotencyKey(entry.source(), key).orElseThrow(), entry);
      }
    }
    afterCommit(
        () -> {
          meters
              .counter(
                  "gateway.intake.received",
                  "source",
                  sources.shown(entry.source()),
                  "channel",
                  entry.channel().name())
              .increment();
          increment(MessageState.RECEIVED);
          if (state != MessageState.RECEIVED) {
            increment(state);
          }
          log.info(
              "journaled id={} source={} channel={} state={}",
              id,
              sources.shown(entry.source()),
              entry.channel(),
              state);
        });
    return new Registration(id, state, false);
  }

  /**
   * Journals a received item as RECEIVED (see {@link #register}) and, when it is new, hands its id
   * to {@code withEntry} (may be null) in the same transaction: what the entry needs before the
   * pipeline starts (a care plan's document) is committed with it or not at all, so a failure in
   * between leaves no entry without it, and the client's retry (or the file's next poll) journals
   * the item whole. The commit waits for the disk, as the entry's alone does.
   */
  public Registration registerWith(NewEntry received, Consumer<String> withEntry) {
    if (withEntry == null) {
      return register(received, MessageState.RECEIVED, null, null);
    }
    return tx.execute(
        status -> {
          Registration registration = register(received, MessageState.RECEIVED, null, null);
          if (!registration.duplicate()) {
            withEntry.accept(registration.id());
          }
          return registration;
        });
  }

  // Whatever arrived, its entry fits the columns (docs: "Limits"); over-long values become
  // references.
  private static NewEntry fitted(NewEntry e) {
    return new NewEntry(
        Columns.fit(e.source(), Columns.SOURCE),
        Columns.fit(e.sourceRecordId(), Columns.RECORD_ID),
        e.contentHash(),
        e.channel(),
        Columns.fit(e.originalName(), Columns.ORIGINAL_NAME),
        Columns.fit(e.contentType(), Columns.CONTENT_TYPE),
        e.payload(),
        e.payloadSize(),
        Columns.fit(e.archivePath(), Columns.PATH),
        e.canonicalRecord(),
        e.citizenCpr(),
        e.recordHash());
  }

  /**
   * The entry an accepted item was not journaled beside: the same bytes (the key as before), else
   * the same record as the mapping read it (a re-serialised resend). Either was committed before
   * the insert found it, so it is there to read.
   */
  private Registration receivedBefore(NewEntry entry, String key) {
    Optional<String> sameBytes = repository.findIdByIdempotencyKey(entry.source(), key);
    if (sameBytes.isPresent() || entry.recordHash() == null) {
      return duplicate(sameBytes.orElseThrow(), entry);
    }
    String sameRecord =
        repository
            .findIdByRecordHash(entry.source(), entry.sourceRecordId(), entry.recordHash())
            .orElseThrow();
    return duplicate(sameRecord, entry, "same record, other bytes");
  }

  /**
   * The record hash of the entry (intake.RecordHash), empty for one journaled without (before V42,
   * or refused).
   */
  public Optional<String> recordHash(String id) {
    return repository.recordHash(id);
  }

  private Registration duplicate(String existingId, NewEntry entry) {
    return duplicate(existingId, entry, "same record and content");
  }

  private Registration duplicate(String existingId, NewEntry entry, String why) {
    MessageState state = find(existingId).map(JournalEntry::state).orElseThrow();
    note(
        existingId,
        state,
        "intake",
        "duplicate submission via " + entry.channel() + " ignored (" + why + ")");
    meters
        .counter("gateway.intake.duplicates", "source", sources.shown(entry.source()))
        .increment();
    log.info(
        "duplicate submission id={} source={} channel={}",
        existingId,
        sources.shown(entry.source()),
        entry.channel());
    return new Registration(existingId, state, true);
  }

  /**
   * Moves an entry on, only from one of {@code from}; false (and nothing written) when it is
   * elsewhere. Every move from {@code from} to {@code to} must be in the {@link Lifecycle}.
   */
  public boolean transition(
      String id,
      List<MessageState> from,
      MessageState to,
      String stage,
      String reason,
      String detail) {
    return transition(id, from, to, stage, reason, detail, false);
  }

  /**
   * A pipeline stage's move on to its next internal state, committed without waiting for the disk
   * as in {@link #inStage} (in a caller's transaction, the caller's commit decides).
   */
  public boolean advance(
      String id,
      List<MessageState> from,
      MessageState to,
      String stage,
      String reason,
      String detail) {
    return transition(id, from, to, stage, reason, detail, !inCallersTransaction());
  }

  private boolean transition(
      String id,
      List<MessageState> from,
      MessageState to,
      String stage,
      String reason,
      String detail,
      boolean relaxed) {
    Lifecycle.check(from, to);
    // One statement (state and event together): atomic without a transaction of its own, and
    // part of the caller's transaction when there is one.
    boolean moved =
        repository.moveWithEvent(
            id, from, to, reason, now(), stage, detail, Map.of(), relaxed, "", Map.of());
    if (moved) {
      count(to);
      if (MessageState.UNFINISHED.contains(to)) {
        log.debug("state id={} stage={} state={}", id, stage, to);
      } else {
        log.info("state id={} stage={} state={}", id, stage, to);
      }
    }
    return moved;
  }

  /**
   * As {@link #transition}, only while the entry still carries Bundle {@code bundleId}: a delivery
   * attempt's outcome is about the message it read, not about one an admin's edit put in its place
   * meanwhile.
   */
  public boolean transitionCarrying(
      String id,
      String bundleId,
      List<MessageState> from,
      MessageState to,
      String stage,
      String reason,
      String detail) {
    return transitionCarrying(id, bundleId, from, to, stage, reason, detail, false);
  }

  /**
   * As {@link #advance}, only while the entry still carries Bundle {@code bundleId}: a stage's
   * verdict on a message (validation) moves the entry on only while it carries that message, not
   * one an administrator's edit translated in its place meanwhile.
   */
  public boolean advanceCarrying(
      String id,
      String bundleId,
      List<MessageState> from,
      MessageState to,
      String stage,
      String reason,
      String detail) {
    return transitionCarrying(
        id, bundleId, from, to, stage, reason, detail, !inCallersTransaction());
  }

  private boolean transitionCarrying(
      String id,
      String bundleId,
      List<MessageState> from,
      MessageState to,
      String stage,
      String reason,
      String detail,
      boolean relaxed) {
    Lifecycle.check(from, to);
    boolean moved =
        repository.moveWithEvent(
            id,
            from,
            to,
            reason,
            now(),
            stage,
            detail,
            Map.of(),
            relaxed,
            "",
            Collections.singletonMap("carried", bundleId),
            " AND bundle_id = :carried");
    if (moved) {
      count(to);
      if (MessageState.UNFINISHED.contains(to)) {
        log.debug("state id={} stage={} state={}", id, stage, to);
      } else {
        log.info("state id={} stage={} state={}", id, stage, to);
      }
    }
    return moved;
  }

  /** A stage failed on an unfinished entry (route error handling): FAILED with the reason. */
  @Override
  public void failUnfinished(String id, String stage, String reason) {
    transition(id, MessageState.UNFINISHED, MessageState.FAILED, stage, reason, null);
  }

  /**
   * Durably counts one more start of {@code stage} on an unfinished entry, in its own transaction
   * before the stage runs (so a start that kills the process is counted too). Returns the number of
   * starts of this stage since the entry last moved on; 0 when it is not unfinished.
   */
  public int countAttempt(String id, String stage) {
    return countAttempt(id, stage, List.of());
  }

  /**
   * As {@link #countAttempt(String, String)}; a start of a stage before one of {@code laterStages}
   * counts nothing (0).
   */
  public int countAttempt(String id, String stage, List<String> laterStages) {
    admitted.remove();
    Optional<JournalRepository.Attempt> attempt =
        repository.countAttempt(
            id, stage, MessageState.UNFINISHED, laterStages, !inCallersTransaction());
    attempt.ifPresent(a -> admitted.set(a.entry()));
    return attempt.map(JournalRepository.Attempt::started).orElse(0);
  }

  /**
   * The entry a stage works on: as the {@link #countAttempt} just before on this thread read it
   * (the same statement counted the start and read the row), else read now. Either way a plain
   * read: the stage's state move checks the state again.
   */
  public Optional<JournalEntry> forStage(String id) {
    JournalEntry entry = admitted.get();
    admitted.remove();
    return entry != null && entry.id().equals(id) ? Optional.of(entry) : find(id);
  }

  public long countInState(MessageState state) {
    return repository.countInState(state);
  }

  /** Stores the translated message and moves RECEIVED to TRANSLATED in one transaction. */
  public boolean translated(String id, Translation translation, String reason) {
    return translated(id, translation, null, reason);
  }

  /**
   * Stores the translated message and moves RECEIVED to TRANSLATED, with the message's thread row
   * ({@code thread}, may be null), in one statement: atomic on its own, and committed without
   * waiting for the disk as in {@link #inStage} (in a caller's transaction, the caller's commit
   * decides).
   */
  public boolean translated(String id, Translation translation, ThreadRow thread, String reason) {
    return translated(id, translation, thread, reason, null);
  }

  /**
   * As above, only while the entry still holds {@code fromCanonical}, the canonical record the
   * message was translated from: an administrator's edit (or another node's gates) may have changed
   * it meanwhile, and the message must then be made from the new one.
   */
  public boolean translated(
      String id, Translation translation, ThreadRow thread, String reason, String fromCanonical) {
    Lifecycle.check(List.of(MessageState.RECEIVED), MessageState.TRANSLATED);
    boolean moved =
        repository.translated(
            id,
            translation,
            thread,
            reason,
            now(),
            "MessageHeader " + translation.messageHeaderId() + ", Bundle " + translation.bundleId(),
            !inCallersTransaction(),
            fromCanonical);
    if (moved) {
      count(MessageState.TRANSLATED);
      log.debug(
          "state id={} stage=translate state=TRANSLATED messageHeaderId={}",
          id,
          translation.messageHeaderId());
    }
    return moved;
  }

  /** Records where Bundle {@code bundleId} was written and moves VALIDATED to SENT. */
  public boolean sent(String id, String bundleId, String outboxPath, String reason) {
    return sent(id, List.of(MessageState.VALIDATED), bundleId, outboxPath, reason);
  }

  /**
   * Records where the message went and moves it to SENT from one of {@code from} (retries,
   * resends), only while the entry still carries Bundle {@code bundleId}, the one that left: an
   * entry edited and translated anew while an attempt of its earlier message was under way is not
   * SENT for a message that never left (its state is what says that the MessageHeader it carries
   * left: threads, acknowledgements). False, and nothing written, otherwise.
   */
  public boolean sent(
      String id, List<MessageState> from, String bundleId, String outboxPath, String reason) {
    Lifecycle.check(from, MessageState.SENT);
    boolean moved =
        repository.moveWithEvent(
            id,
            from,
            MessageState.SENT,
            reason,
            now(),
            "deliver",
            outboxPath,
            Collections.singletonMap("outbox_path", outboxPath),
            false,
            "",
            Collections.singletonMap("sentBundle", bundleId),
            " AND bundle_id = :sentBundle");
    if (moved) {
      count(MessageState.SENT);
      log.info("state id={} stage=deliver state=SENT", id);
    }
    return moved;
  }

  /**
   * A resend's new Bundle (new Bundle.id and timestamps, same MessageHeader.id) replaces the stored
   * message, with a history event saying so, only while the entry is still in {@code state} and
   * carries {@code previousBundleId}, the Bundle the resend read: an acknowledgement (or any other
   * move) committed since the resend read the entry keeps the message the recipient has, and of two
   * runs of one resend step at once (a stalled node's run the work engine declared dead and revived
   * elsewhere) only the first renews, so one resend sends one Bundle. False, and nothing written,
   * otherwise.
   */
  public boolean renewedBundle(
      String id,
      MessageState state,
      String previousBundleId,
      String bundleId,
      String fhirMessage,
      String reason) {
    return Boolean.TRUE.equals(
        tx.execute(
            status -> {
              // The thread keeps the text sent first for this MessageHeader id, as before V37.
              repository.keepThreadText(id);
              if (!repository.storeRenewedBundle(
                  id, state, previousBundleId, bundleId, fhirMessage)) {
                status.setRollbackOnly();
                return false;
              }
              repository.insertEvent(id, now(), state, "deliver", reason, "Bundle " + bundleId);
              return true;
            }));
  }

  /** The entry whose sent MessageHeader has this id (acknowledgement correlation). */
  public Optional<String> findIdByMessageHeaderId(String messageHeaderId) {
    return repository.findIdByMessageHeaderId(messageHeaderId);
  }

  /**
   * Adds a history event without changing the state (e.g. a duplicate submission, a gate's PASS).
   */
  public void note(String id, MessageState state, String stage, String reason) {
    note(id, state, stage, reason, null);
  }

  public void note(String id, MessageState state, String stage, String reason, String detail) {
    repository.insertEvent(id, now(), state, stage, reason, detail);
  }

  /**
   * Adds a history event in whatever state the entry is in when it is written (e.g. a delivery
   * attempt that wrote the message after the entry was moved on by another action). False when
   * there is no such entry.
   */
  public boolean noteInCurrentState(String id, String stage, String reason, String detail) {
    return repository.insertEventInCurrentState(id, now(), stage, reason, detail);
  }

  /** A history event to add later with others ({@link #notes}). */
  public record Note(MessageState state, String stage, String reason, String detail) {}

  /** Adds history events in order, in one statement (e.g. the gates' PASS decisions). */
  public void notes(String id, List<Note> notes) {
    notes(id, notes, null);
  }

  /** A recipient as addressing resolved it (SOR code, EAN/GLN location number, name). */
  public record Recipient(String sor, String gln, String name) {}

  /**
   * As {@link #notes(String, List)}; with {@code addressed}, also {@link #addressed} in the same
   * statement.
   */
  public void notes(String id, List<Note> notes, Recipient addressed) {
    if (notes.isEmpty()) {
      if (addressed != null) {
        addressed(id, addressed.sor(), addressed.gln(), addressed.name());
      }
    } else if (notes.size() == 1 && addressed == null) {
      Note n = notes.get(0);
      note(id, n.state(), n.stage(), n.reason(), n.detail());
    } else {
      repository.insertEvents(id, now(), notes, addressed);
    }
  }

  /**
   * A new event that also becomes the entry's current reason, the state unchanged (e.g. the latest
   * of several transport attempts, so the message list shows attempt 6, not attempt 1), only while
   * the entry still carries Bundle {@code bundleId} (see {@link #transitionCarrying}); false, and
   * nothing written, otherwise.
   */
  public boolean restateCarrying(
      String id, String bundleId, MessageState state, String stage, String reason, String detail) {
    return repository.restateCarrying(id, bundleId, state, reason, now(), stage, detail);
  }

  /**
   * A gate changed the record (e.g. fixed the address): the new canonical record and why, together.
   */
  public void replaceCanonical(
      String id, String canonicalJson, String stage, String reason, String detail) {
    replaceCanonical(id, canonicalJson, MessageState.RECEIVED, stage, reason, detail);
  }

  /**
   * The same, with the event in {@code state}: a legal basis recorded on a message that goes
   * straight back to delivery (its MedCom message unchanged) is not a step back to RECEIVED.
   */
  public void replaceCanonical(
      String id,
      String canonicalJson,
      MessageState state,
      String stage,
      String reason,
      String detail) {
    tx.executeWithoutResult(
        status -> {
          repository.storeCanonical(id, canonicalJson);
          repository.insertEvent(id, now(), state, stage, reason, detail);
        });
  }

  /**
   * Addressing resolved the recipient: the entry shows it from now on (lists, filters), also while
   * the message is held for consent and before it is translated.
   */
  public void addressed(String id, String sor, String gln, String name) {
    repository.storeRecipient(id, sor, gln, name);
  }

  public Optional<JournalEntry> find(String id) {
    return repository.find(id);
  }

  public Optional<byte[]> payload(String id) {
    return repository.payload(id);
  }

  public List<JournalEvent> history(String id) {
    return repository.events(id);
  }

  public List<JournalEntry> search(JournalQuery query) {
    return repository.search(query);
  }

  public long count(JournalQuery query) {
    return repository.count(query);
  }

  /** The citizens' CPR numbers of these entries, by id, for views that show them (masked). */
  public Map<String, String> cprsOf(List<String> ids) {
    return repository.cprsOf(ids);
  }

  /**
   * This node's (by name) unfinished entries last touched before {@code updatedBefore}, oldest
   * first, those a stage had started on last.
   */
  public List<PendingEntry> unfinishedOf(String owner, OffsetDateTime updatedBefore, int limit) {
    return repository.unfinishedOf(owner, MessageState.UNFINISHED, updatedBefore, limit);
  }

  /**
   * Unfinished entries of nodes not in {@code alive}, now this node's; see
   * JournalRepository#claimOrphans.
   */
  public List<PendingEntry> claimOrphans(List<String> alive, int limit) {
    return repository.claimOrphans(MessageState.UNFINISHED, alive, limit);
  }

  /**
   * Unfinished entries last touched before {@code updatedBefore}, oldest first (those a stage had
   * started on last), now this node's.
   */
  public List<PendingEntry> claimUnfinished(OffsetDateTime updatedBefore, int limit) {
    return repository.claimUnfinished(MessageState.UNFINISHED, updatedBefore, limit);
  }

  /** The node that journaled or last moved the entry, empty when unknown. */
  public Optional<String> owner(String id) {
    return repository.owner(id);
  }

  /** Entries in unfinished states last touched before {@code updatedBefore}, oldest first. */
  public List<PendingEntry> unfinished(OffsetDateTime updatedBefore, int limit) {
    return repository.unfinished(MessageState.UNFINISHED, updatedBefore, limit);
  }

  /**
   * Ids of the citizen's entries in {@code state}, oldest first (e.g. messages held for consent).
   */
  public List<String> entriesOfCitizen(String cpr, MessageState state) {
    return repository.idsOfCitizen(cpr, state);
  }

  /**
   * Entries in {@code state} last touched before {@code updatedBefore}, oldest first (e.g. expired
   * holds).
   */
  public List<PendingEntry> inStateSince(
      MessageState state, OffsetDateTime updatedBefore, int limit) {
    return repository.unfinished(List.of(state), updatedBefore, limit);
  }

  /**
   * Runs a pipeline stage's journal work (reads, notes, state moves) in one transaction whose
   * commit does not wait for the write-ahead log to reach the disk ({@code synchronous_commit =
   * off} for this transaction only; it is visible to everyone at once, and PostgreSQL flushes it
   * within a fraction of a second). Safe because nothing outside the gateway depends on these
   * steps: what a crash can lose of them is the last moment of internal progress, which recovery
   * redoes, never a received item (intake commits synchronously before it answers or deletes the
   * file) and never a delivery (the delivery stage commits synchronously before the message leaves,
   * and a synchronous commit flushes all the log written before it). Inside a caller's transaction
   * the caller's commit decides.
   */
  public <T> T inStage(Supplier<T> work) {
    if (inCallersTransaction()) {
      return work.get();
    }
    return tx.execute(
        status -> {
          repository.relaxCommit();
          return work.get();
        });
  }

  /**
   * Fences the rest of the current stage transaction ({@link #inStage}) on the entry as the stage
   * read it: its first write of the entry also checks that the entry is still this node's, in
   * {@code read}'s state and with its canonical record (not edited meanwhile), and locks it until
   * the commit; a false check throws {@link EntryTakenOver} and the stage's transaction rolls back.
   * For a stage whose decisions are only history notes (the gates), which no state condition
   * guards: a node that stalled after its read while another node took the entry over writes no
   * decision of its own (docs/cluster.md).
   */
  public void fence(JournalEntry read) {
    repository.fence(read.id(), read.state(), read.canonicalRecord());
  }

  /**
   * Runs {@code counted} once the caller's transaction has committed (at once without one): a move
   * or an entry in a caller's transaction (a stage's, an administrator's action, a plan version
   * registered with its document) may roll back with it, and must then be neither counted nor
   * logged as done. {@code counted} must not call this again (a synchronization registered while
   * the others run after commit is never run).
   */
  private static void afterCommit(Runnable counted) {
    if (TransactionSynchronizationManager.isSynchronizationActive()) {
      TransactionSynchronizationManager.registerSynchronization(
          new TransactionSynchronization() {
            @Override
            public void afterCommit() {
              counted.run();
            }
          });
    } else {
      counted.run();
    }
  }

  private static boolean inCallersTransaction() {
    return TransactionSynchronizationManager.isActualTransactionActive();
  }

  /**
   * Entries reaching each state, counted once the move commits; per source, see
   * gateway.intake.received.
   */
  private void count(MessageState state) {
    afterCommit(() -> increment(state));
  }

  private void increment(MessageState state) {
    meters.counter("gateway.messages", "state", state.name()).increment();
  }

  private OffsetDateTime now() {
    return OffsetDateTime.now(clock);
  }

  /** Result of journaling a received item. */
  public record Registration(String id, MessageState state, boolean duplicate) {}
}
