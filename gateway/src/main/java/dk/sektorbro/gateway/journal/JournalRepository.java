package dk.sektorbro.gateway.journal;

import dk.sektorbro.gateway.platform.NodeIdentity;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/** Plain SQL over the journal tables; transactions belong to {@link Journal}. */
@Repository
public class JournalRepository {

  private static final Pattern SAFE_COLUMN = Pattern.compile("[a-z_]+");
  private static final String SUMMARY_COLUMNS =
      "id, source, source_record_id, content_hash, channel, original_name, content_type, payload_size,"
          + " archive_path, received_at, updated_at, state, state_reason, message_type, message_header_id,"
          + " bundle_id, fhir_format, recipient_sor, recipient_gln, recipient_name, outbox_path";

  /**
   * Added to the WHERE clause of a statement that runs on its own (autocommit, outside any
   * transaction) or in a stage's transaction ({@link #relaxCommit}): its transaction's commit does
   * not wait for the write-ahead log to reach the disk ({@code synchronous_commit = off} for this
   * one transaction, as {@code SET LOCAL} would do; PostgreSQL reads the setting at commit and
   * resets it after). Only a row that passed this condition is written, so a statement that writes
   * is always relaxed. Saves the {@code SET LOCAL} statement (and on its own the explicit
   * transaction around a single statement); see Journal#inStage for why these commits may be
   * relaxed.
   */
  private static final String RELAXED =
      " AND (SELECT set_config('synchronous_commit', 'off', true)) = 'off'";

  /** Bound to a transaction that {@link #relaxCommit} is to relax, until a statement has. */
  private static final Object RELAX_PENDING = new Object();

  /** Bound to a stage's transaction by {@link #fence}, until its first write of the entry. */
  private static final Object FENCE_PENDING = new Object();

  /** The entry a stage read: the state and canonical record it read it with. */
  private record Fence(String id, String state, String canonical) {}

  private final JdbcClient jdbc;
  private final String node;

  public JournalRepository(JdbcClient jdbc) {
    this(jdbc, new NodeIdentity(""));
  }

  /**
   * {@code node}: written as an entry's owner by intake and every state move (the node that queues
   * its next stage).
   */
  @Autowired
  public JournalRepository(JdbcClient jdbc, NodeIdentity node) {
    this.jdbc = jdbc;
    this.node = node.name();
  }

  void insert(
      String id, NewEntry e, String idempotencyKey, MessageState state, OffsetDateTime now) {
    jdbc.sql(
            """
            INSERT INTO journal_entry (id, source, source_record_id, idempotency_key, content_hash, channel,
              original_name, content_type, payload, payload_size, archive_path, received_at, updated_at, state,
              canonical_record, citizen_cpr, owner_node)
            VALUES (:id, :source, :recordId, :key, :hash, :channel, :name, :contentType, :payload, :size,
              :archive, :now, :now, :state, :canonical, :cpr, :node)""")
        .params(entryParams(id, e, idempotencyKey, state, now))
        .update();
  }

  /** The named parameters of a new journal_entry row, for both ways of inserting one. */
  private Map<String, Object> entryParams(
      String id, NewEntry e, String idempotencyKey, MessageState state, OffsetDateTime now) {
    Map<String, Object> params = new HashMap<>();
    params.put("id", id);
    params.put("node", node);
    params.put("source", e.source());
    params.put("recordId", e.sourceRecordId());
    params.put("key", idempotencyKey);
    params.put("hash", e.contentHash());
    params.put("channel", e.channel().name());
    params.put("name", e.originalName());
    params.put("contentType", e.contentType());
    params.put("payload", e.payload());
    params.put("size", e.payloadSize());
    params.put("archive", e.archivePath());
    params.put("now", now);
    params.put("state", state.name());
    params.put("canonical", e.canonicalRecord());
    params.put("cpr", e.citizenCpr());
    // Only an accepted entry is written with it (insertReceived): a refusal is keyed by its bytes.
    params.put("recordHash", e.recordHash());
    return params;
  }

  List<String> idsOfCitizen(String cpr, MessageState state) {
    return jdbc.sql(
            "SELECT id FROM journal_entry WHERE citizen_cpr = :cpr AND state = :state ORDER BY received_at")
        .param("cpr", cpr)
        .param("state", state.name())
        .query(String.class)
        .list();
  }

  Optional<String> findIdByIdempotencyKey(String source, String key) {
    return jdbc.sql(
            "SELECT id FROM journal_entry WHERE source = :source AND idempotency_key = :key")
        .param("source", source)
        .param("key", key)
        .query(String.class)
        .optional();
  }

  /** The accepted entry of this source and record id whose record hash is {@code recordHash}. */
  Optional<String> findIdByRecordHash(String source, String recordId, String recordHash) {
    return jdbc.sql(
            """
            SELECT id FROM journal_entry
            WHERE source = :source AND source_record_id = :recordId AND record_hash = :hash""")
        .param("source", source)
        .param("recordId", recordId)
        .param("hash", recordHash)
        .query(String.class)
        .optional();
  }

  Optional<String> recordHash(String id) {
    return jdbc.sql("SELECT record_hash FROM journal_entry WHERE id = :id")
        .param("id", id)
        .query((rs, row) -> Optional.ofNullable(rs.getString(1)))
        .optional()
        .flatMap(hash -> hash);
  }

  /**
   * Moves an entry to a new state only from one of the expected states; false when it was
   * elsewhere.
   */
  boolean updateState(
      String id, List<MessageState> from, MessageState to, String reason, OffsetDateTime now) {
    return jdbc.sql(
                """
            UPDATE journal_entry SET state = :to, state_reason = :reason, updated_at = :now,
              attempts = 0, attempt_stage = NULL, owner_node = :node
            WHERE id = :id AND state IN (:from)""")
            .param("to", to.name())
            .param("node", node)
            .param("reason", Columns.cut(reason, Columns.REASON))
            .param("now", now)
            .param("id", id)
            .param("from", from.stream().map(Enum::name).toList())
            .update()
        == 1;
  }

  /**
   * {@link #updateState} and {@link #insertEvent} in one statement (atomic on its own, so no
   * transaction is needed around it): the event is written only when the entry moved. {@code
   * alsoSet} adds columns to the same update (the translation, the outbox path): column name to
   * value, each bound as a parameter of the column's name. {@code relaxed}: the statement's own
   * commit (it must run outside a transaction) does not wait for the disk, see {@link #RELAXED}; in
   * a stage's transaction still to be relaxed ({@link #relaxCommit}) the statement relaxes it.
   * {@code alsoWrite}: more data-modifying statements of the same statement (", name AS (...)",
   * written only when the entry moved if they select from {@code moved}; "" for none), with their
   * parameters.
   */
  boolean moveWithEvent(
      String id,
      List<MessageState> from,
      MessageState to,
      String reason,
      OffsetDateTime now,
      String stage,
      String detail,
      Map<String, ?> alsoSet,
      boolean relaxed,
      String alsoWrite,
      Map<String, ?> alsoParams) {
    return moveWithEvent(
        id, from, to, reason, now, stage, detail, alsoSet, relaxed, alsoWrite, alsoParams, "");
  }

  /**
   * As above; {@code alsoWhere}: more conditions on the entry's row (" AND ...", with their
   * parameters in {@code alsoParams}; "" for none), e.g. the Bundle the entry must still carry.
   */
  boolean moveWithEvent(
      String id,
      List<MessageState> from,
      MessageState to,
      String reason,
      OffsetDateTime now,
      String stage,
      String detail,
      Map<String, ?> alsoSet,
      boolean relaxed,
      String alsoWrite,
      Map<String, ?> alsoParams,
      String alsoWhere) {
    boolean relaxes = relaxed || relaxPending();
    Map<String, Object> fenceParams = new HashMap<>();
    String fence = fenceOn(id, fenceParams);
    boolean moved =
        jdbc.sql(
                    """
            WITH moved AS (
              UPDATE journal_entry SET state = :to, state_reason = :reason, updated_at = :now,
                attempts = 0, attempt_stage = NULL, owner_node = :node"""
                        + setList(alsoSet)
                        + """

              WHERE id = :id AND state IN (:from)"""
                        + alsoWhere
                        + fence
                        + (relaxes ? RELAXED : "")
                        + "\n"
                        + """
               RETURNING id)"""
                        + alsoWrite
                        + """

            INSERT INTO journal_event (entry_id, occurred_at, state, stage, reason, detail)
            SELECT id, :now, :to, :stage, :reason, :detail FROM moved""")
                .params(alsoSet)
                .params(alsoParams)
                .params(fenceParams)
                .param("to", to.name())
                .param("node", node)
                .param("reason", Columns.cut(reason, Columns.REASON))
                .param("now", now)
                .param("id", id)
                .param("from", from.stream().map(Enum::name).toList())
                .param("stage", Columns.fit(stage, Columns.STAGE))
                .param("detail", detail)
                .update()
            == 1;
    if (moved) {
      relaxDone();
    }
    fenceChecked(id, fence, moved);
    return moved;
  }

  /** ", column = :column" for each column; the names come from this class, never from input. */
  private static String setList(Map<String, ?> columns) {
    StringBuilder set = new StringBuilder();
    for (String column : columns.keySet()) {
      if (!SAFE_COLUMN.matcher(column).matches()) {
        throw new IllegalArgumentException("not a column name: " + column);
      }
      set.append(", ").append(column).append(" = :").append(column);
    }
    return set.toString();
  }

  /**
   * The rows of this entry's earlier translations that have no text of their own (V37) get it from
   * the entry's message before it is replaced, so a thread keeps the text that was sent for each
   * MessageHeader id. In a data-modifying statement every part reads the rows as they were before
   * it, so {@code old.fhir_message} is the message being replaced.
   */
  private static final String KEEP_THREAD_TEXT =
      """
      UPDATE thread_message t SET message = old.fhir_message
        FROM journal_entry old
        WHERE t.journal_entry_id = :id AND old.id = :id AND t.message IS NULL
          AND t.message_header_id = old.message_header_id""";

  /**
   * RECEIVED to TRANSLATED with the translation and its event, and, with {@code thread}, the
   * message's thread row (without a text of its own: the text is the {@code fhir_message} written
   * here), in one statement: one round trip, and the row and the move commit together or not at
   * all. See {@link #moveWithEvent} for {@code relaxed}.
   */
  boolean translated(
      String id,
      Translation translation,
      ThreadRow thread,
      String reason,
      OffsetDateTime now,
      String detail,
      boolean relaxed,
      String fromCanonical) {
    StringBuilder alsoWrite =
        new StringBuilder(",\nkept AS (")
            .append(KEEP_THREAD_TEXT)
            .append(" AND EXISTS (SELECT 1 FROM moved))");
    Map<String, Object> params = new HashMap<>();
    if (thread != null) {
      alsoWrite.append(
          """
          ,
          thread AS (
            INSERT INTO thread_message (message_header_id, thread_id, episode_of_care_id, direction,
              journal_entry_id, recorded_at)
            SELECT :threadHeader, :threadId, :threadEpisode, 'SENT', id, :now FROM moved
            ON CONFLICT (message_header_id) DO NOTHING)""");
      params.put("threadHeader", thread.messageHeaderId());
      params.put("threadId", thread.threadId());
      params.put("threadEpisode", thread.episodeOfCareId());
    }
    return moveWithEvent(
        id,
        List.of(MessageState.RECEIVED),
        MessageState.TRANSLATED,
        reason,
        now,
        "translate",
        detail,
        translationColumns(translation),
        relaxed,
        alsoWrite.toString(),
        params,
        fromCanonical == null ? "" : fromCanonical(params, fromCanonical));
  }

  /** The translation's condition: the entry still holds the canonical record it was made from. */
  private static String fromCanonical(Map<String, Object> params, String canonical) {
    params.put("fromCanonical", canonical);
    return " AND canonical_record = :fromCanonical";
  }

  /**
   * Before a resend's renewed Bundle replaces the entry's message: the thread row gets the text
   * sent first (as it had before V37), see {@link #KEEP_THREAD_TEXT}.
   */
  void keepThreadText(String id) {
    jdbc.sql(KEEP_THREAD_TEXT).param("id", id).update();
  }

  /** The translation's columns, set by {@link #moveWithEvent} in the move to TRANSLATED. */
  static Map<String, Object> translationColumns(Translation t) {
    Map<String, Object> columns = new HashMap<>();
    columns.put("message_type", t.messageType());
    columns.put("message_header_id", t.messageHeaderId());
    columns.put("bundle_id", t.bundleId());
    columns.put("fhir_message", t.fhirMessage());
    columns.put("fhir_format", t.fhirFormat());
    columns.put("recipient_sor", t.recipientSor());
    columns.put("recipient_gln", t.recipientGln());
    columns.put("recipient_name", t.recipientName());
    return columns;
  }

  /**
   * A new entry and its RECEIVED event in one statement; false (nothing written) when an entry with
   * the same source and idempotency key exists already, or one of the same source and record id
   * with the same record hash (V42; no conflict target, so either unique index stops it).
   */
  boolean insertReceived(
      String id, NewEntry e, String idempotencyKey, OffsetDateTime now, String reason) {
    return jdbc.sql(
                """
            WITH inserted AS (
              INSERT INTO journal_entry (id, source, source_record_id, idempotency_key, content_hash,
                channel, original_name, content_type, payload, payload_size, archive_path, received_at,
                updated_at, state, canonical_record, citizen_cpr, owner_node, record_hash)
              VALUES (:id, :source, :recordId, :key, :hash, :channel, :name, :contentType, :payload,
                :size, :archive, :now, :now, :state, :canonical, :cpr, :node, :recordHash)
              ON CONFLICT DO NOTHING
              RETURNING id)
            INSERT INTO journal_event (entry_id, occurred_at, state, stage, reason, detail)
            SELECT id, :now, :state, 'intake', :reason, NULL FROM inserted""")
            .params(entryParams(id, e, idempotencyKey, MessageState.RECEIVED, now))
            .param("reason", Columns.cut(reason, Columns.REASON))
            .update()
        == 1;
  }

  /**
   * The reason of the current state and its history event, in one statement, only while the entry
   * is still in {@code state} and carries Bundle {@code bundleId}; attempts are kept. True when
   * written.
   */
  boolean restateCarrying(
      String id,
      String bundleId,
      MessageState state,
      String reason,
      OffsetDateTime now,
      String stage,
      String detail) {
    return jdbc.sql(
                """
            WITH restated AS (
              UPDATE journal_entry SET state_reason = :reason, updated_at = :now
              WHERE id = :id AND state = :state AND bundle_id = :carried
              RETURNING id)
            INSERT INTO journal_event (entry_id, occurred_at, state, stage, reason, detail)
            SELECT id, :now, :state, :stage, :reason, :detail FROM restated""")
            .param("id", id)
            .param("carried", bundleId)
            .param("state", state.name())
            .param("reason", Columns.cut(reason, Columns.REASON))
            .param("now", now)
            .param("stage", Columns.fit(stage, Columns.STAGE))
            .param("detail", detail)
            .update()
        == 1;
  }

  /**
   * Counts one more start of {@code stage} on the entry while it is in one of {@code states} (a
   * different stage starts again at 1); the count after it, or 0 when the entry is elsewhere. A
   * stage that runs before one of {@code laterStages} in the same state (the gates before
   * translate, both on RECEIVED) leaves a later stage's count alone: otherwise a record that kills
   * the process in the later stage would reset its own count on every restart and never be
   * quarantined.
   */
  Optional<Attempt> countAttempt(
      String id,
      String stage,
      List<MessageState> states,
      List<String> laterStages,
      boolean relaxed) {
    List<String> later = laterStages.isEmpty() ? List.of("") : laterStages;
    // One statement (relaxed: committed on its own without waiting for the disk): the count comes
    // back with the update, and with it the entry the stage works on (no second read of the row).
    return jdbc.sql(
            """
            UPDATE journal_entry
            SET attempts = CASE WHEN attempt_stage = :stage THEN attempts + 1
                                WHEN attempt_stage IN (:later) THEN attempts ELSE 1 END,
                attempt_stage = CASE WHEN attempt_stage IN (:later) THEN attempt_stage ELSE :stage END
            WHERE id = :id AND state IN (:states)"""
                + (relaxed ? RELAXED : "")
                + """

            RETURNING CASE WHEN attempt_stage = :stage THEN attempts ELSE 0 END AS started, """
                + SUMMARY_COLUMNS
                + ", canonical_record, fhir_message")
        .param("stage", stage)
        .param("later", later)
        .param("id", id)
        .param("states", states.stream().map(Enum::name).toList())
        .query((rs, n) -> new Attempt(rs.getInt("started"), entry(rs, true)))
        .optional();
  }

  /** A counted start of a stage: the number of starts and the entry as it is now. */
  record Attempt(int started, JournalEntry entry) {}

  /**
   * This transaction's commit returns without waiting for the disk (see Journal#inStage). No
   * statement of its own where it can be helped: the transaction's next write of an entry that
   * finds its row ({@link #moveWithEvent}, {@link #storeRecipient}, {@link #storeCanonical}, the
   * gates' events with the recipient in {@link #insertEvents}) carries {@link #RELAXED} (PostgreSQL
   * reads the setting at commit), and only a transaction without one sends {@code SET LOCAL} just
   * before its commit. A stage that fails before its commit rolls back either way.
   */
  void relaxCommit() {
    if (relaxPending()) {
      return;
    }
    if (!TransactionSynchronizationManager.isSynchronizationActive()) {
      setLocalRelaxed();
      return;
    }
    TransactionSynchronizationManager.bindResource(RELAX_PENDING, Boolean.TRUE);
    TransactionSynchronizationManager.registerSynchronization(
        new TransactionSynchronization() {
          @Override
          public void beforeCommit(boolean readOnly) {
            if (relaxPending()) {
              setLocalRelaxed();
            }
          }

          @Override
          public void afterCompletion(int status) {
            TransactionSynchronizationManager.unbindResourceIfPossible(RELAX_PENDING);
          }
        });
  }

  private void setLocalRelaxed() {
    jdbc.sql("SET LOCAL synchronous_commit TO OFF").update();
  }

  /** True while this thread's transaction is to be relaxed and no statement has done it yet. */
  private static boolean relaxPending() {
    return TransactionSynchronizationManager.hasResource(RELAX_PENDING);
  }

  /** A statement with {@link #RELAXED} wrote a row: the transaction's commit is relaxed now. */
  private static void relaxDone() {
    TransactionSynchronizationManager.unbindResourceIfPossible(RELAX_PENDING);
  }

  /**
   * A fencing token for a stage's transaction (a caller's transaction must be active): its first
   * write of entry {@code id} also checks that the entry is still this node's ({@code owner_node},
   * which recovery's claim of a silent node's entries changes), in {@code read}, the state the
   * stage read it in, and holds {@code canonical}, the record it read (an administrator's edit
   * replaces it), and locks the row until the commit, so no other node can claim or move it
   * meanwhile. A false check writes nothing and throws {@link EntryTakenOver}: the stage was
   * stalled (a GC pause, a suspended VM) while another node took the entry over, and its decisions
   * are not the message's. No statement of its own: a condition of a write the stage makes anyway.
   */
  void fence(String id, MessageState read, String canonical) {
    if (!TransactionSynchronizationManager.isSynchronizationActive()) {
      throw new IllegalStateException("a fence needs the stage's transaction");
    }
    TransactionSynchronizationManager.unbindResourceIfPossible(FENCE_PENDING);
    TransactionSynchronizationManager.bindResource(
        FENCE_PENDING, new Fence(id, read.name(), canonical));
    TransactionSynchronizationManager.registerSynchronization(
        new TransactionSynchronization() {
          @Override
          public void afterCompletion(int status) {
            TransactionSynchronizationManager.unbindResourceIfPossible(FENCE_PENDING);
          }
        });
  }

  /**
   * The pending fence's condition on entry {@code id}'s row (" AND ..."), its values put into
   * {@code params}; "" when no fence of this entry is pending.
   */
  private String fenceOn(String id, Map<String, Object> params) {
    Object pending = TransactionSynchronizationManager.getResource(FENCE_PENDING);
    if (!(pending instanceof Fence fence) || !fence.id().equals(id)) {
      return "";
    }
    params.put("fenceNode", node);
    params.put("fenceState", fence.state());
    if (fence.canonical() == null) {
      return " AND owner_node = :fenceNode AND state = :fenceState";
    }
    params.put("fenceCanonical", fence.canonical());
    return " AND owner_node = :fenceNode AND state = :fenceState"
        + " AND canonical_record = :fenceCanonical";
  }

  /** After the write that carried {@code fence} ("" for none): done, or the entry taken over. */
  private static void fenceChecked(String id, String fence, boolean written) {
    if (fence.isEmpty()) {
      return;
    }
    TransactionSynchronizationManager.unbindResourceIfPossible(FENCE_PENDING);
    if (!written) {
      throw new EntryTakenOver(id);
    }
  }

  /** Writes a new token into the probe row and reads it back: true when the journal can do both. */
  boolean probe(String token, OffsetDateTime now) {
    int written =
        jdbc.sql("UPDATE health_probe SET checked_at = :now, token = :token WHERE id = 'journal'")
            .param("now", now)
            .param("token", token)
            .update();
    if (written != 1) {
      return false;
    }
    String read =
        jdbc.sql("SELECT token FROM health_probe WHERE id = 'journal'")
            .query(String.class)
            .single();
    // A read of the entries too: a database that answers the probe row but not the journal is no
    // good.
    jdbc.sql("SELECT COUNT(*) FROM journal_entry WHERE state = 'RECEIVED'")
        .query(Long.class)
        .single();
    return token.equals(read);
  }

  long countInState(MessageState state) {
    return jdbc.sql("SELECT COUNT(*) FROM journal_entry WHERE state = :state")
        .param("state", state.name())
        .query(Long.class)
        .single();
  }

  /**
   * The renewed Bundle, only while the entry is in {@code state} and carries {@code
   * previousBundleId}; false when it does not.
   */
  boolean storeRenewedBundle(
      String id, MessageState state, String previousBundleId, String bundleId, String fhirMessage) {
    return jdbc.sql(
                "UPDATE journal_entry SET bundle_id = :bundle, fhir_message = :message"
                    + " WHERE id = :id AND state = :state AND bundle_id = :previous")
            .param("previous", previousBundleId)
            .param("bundle", bundleId)
            .param("message", fhirMessage)
            .param("id", id)
            .param("state", state.name())
            .update()
        == 1;
  }

  Optional<String> findIdByMessageHeaderId(String messageHeaderId) {
    return jdbc.sql(
            "SELECT id FROM journal_entry WHERE message_header_id = :header ORDER BY received_at LIMIT 1")
        .param("header", messageHeaderId)
        .query(String.class)
        .optional();
  }

  void storeCanonical(String id, String canonicalJson) {
    updateEntry(
        id,
        "UPDATE journal_entry SET canonical_record = :canonical WHERE id = :id",
        sql -> sql.param("canonical", canonicalJson).param("id", id));
  }

  void storeRecipient(String id, String sor, String gln, String name) {
    updateEntry(
        id,
        "UPDATE journal_entry SET recipient_sor = :sor, recipient_gln = :gln, recipient_name = :name WHERE id = :id",
        sql -> sql.param("sor", sor).param("gln", gln).param("name", name).param("id", id));
  }

  /**
   * One update of entry {@code id}'s row ({@code WHERE id = :id} last); in a transaction still to
   * be relaxed ({@link #relaxCommit}) it carries {@link #RELAXED}, and relaxes it if it wrote the
   * row; a pending {@link #fence} of the entry is its condition too.
   */
  private void updateEntry(String id, String update, UnaryOperator<JdbcClient.StatementSpec> bind) {
    boolean relaxes = relaxPending();
    Map<String, Object> fenceParams = new HashMap<>();
    String fence = fenceOn(id, fenceParams);
    int written =
        bind.apply(jdbc.sql(update + fence + (relaxes ? RELAXED : "")))
            .params(fenceParams)
            .update();
    if (relaxes && written == 1) {
      relaxDone();
    }
    fenceChecked(id, fence, written == 1);
  }

  void insertEvent(
      String entryId,
      OffsetDateTime at,
      MessageState state,
      String stage,
      String reason,
      String detail) {
    Map<String, Object> fenceParams = new HashMap<>();
    String fence = fenceOn(entryId, fenceParams);
    int written =
        jdbc.sql(
                fence.isEmpty()
                    ? """
                    INSERT INTO journal_event (entry_id, occurred_at, state, stage, reason, detail)
                    VALUES (:entry, :at, :state, :stage, :reason, :detail)"""
                    : """
                    INSERT INTO journal_event (entry_id, occurred_at, state, stage, reason, detail)
                    SELECT id, :at, :state, :stage, :reason, :detail FROM journal_entry
                    WHERE id = :entry"""
                        + fence
                        + " FOR UPDATE")
            .params(fenceParams)
            .param("entry", entryId)
            .param("at", at)
            .param("state", state.name())
            .param("stage", Columns.fit(stage, Columns.STAGE))
            .param("reason", Columns.cut(reason, Columns.REASON))
            .param("detail", detail)
            .update();
    fenceChecked(entryId, fence, written == 1);
  }

  /** An event in the entry's state as it is when the statement runs; false without an entry. */
  boolean insertEventInCurrentState(
      String entryId, OffsetDateTime at, String stage, String reason, String detail) {
    return jdbc.sql(
                """
            INSERT INTO journal_event (entry_id, occurred_at, state, stage, reason, detail)
            SELECT id, :at, state, :stage, :reason, :detail FROM journal_entry WHERE id = :entry""")
            .param("entry", entryId)
            .param("at", at)
            .param("stage", Columns.fit(stage, Columns.STAGE))
            .param("reason", Columns.cut(reason, Columns.REASON))
            .param("detail", detail)
            .update()
        == 1;
  }

  /**
   * A {@code WITH} query ({@code notes AS (INSERT ...)}, without the {@code WITH}) that adds these
   * events of one entry (in order), for another statement of the same transaction, which then
   * writes them: they cost no statement of their own (the delivery stage's guard notes ride with
   * its fixing of the outbound bytes). PostgreSQL runs a data-modifying {@code WITH} query once and
   * to completion whatever the statement after it does. Binds its values into {@code params} (names
   * starting with "note"); empty when there are no events.
   */
  public static String eventsWith(
      String entryId, OffsetDateTime at, List<Journal.Note> notes, Map<String, Object> params) {
    if (notes.isEmpty()) {
      return "";
    }
    StringBuilder sql = new StringBuilder("notes AS (");
    appendEvents(sql, "note", entryId, at, notes, params);
    return sql.append(")").toString();
  }

  /**
   * Several events of one entry in one statement; their ids (the history's order) follow the list.
   */
  void insertEvents(String entryId, OffsetDateTime at, List<Journal.Note> notes) {
    insertEvents(entryId, at, notes, null);
  }

  /**
   * As above; with {@code recipient}, {@link #storeRecipient} in the same statement (the gates'
   * resolved recipient with their decisions: one round trip). A transaction still to be relaxed is
   * relaxed by it: the events' foreign key means the entry's row exists, so the update wrote it.
   */
  void insertEvents(
      String entryId, OffsetDateTime at, List<Journal.Note> notes, Journal.Recipient recipient) {
    boolean relaxes = recipient != null && relaxPending();
    StringBuilder sql = new StringBuilder();
    Map<String, Object> params = new HashMap<>();
    String fence = fenceOn(entryId, params);
    if (recipient != null) {
      sql.append(
              """
              WITH addressed AS (
                UPDATE journal_entry SET recipient_sor = :sor, recipient_gln = :gln,
                  recipient_name = :name WHERE id = :entry""")
          .append(fence)
          .append(relaxes ? RELAXED : "")
          .append(fence.isEmpty() ? ")\n" : " RETURNING id)\n");
      params.put("sor", recipient.sor());
      params.put("gln", recipient.gln());
      params.put("name", recipient.name());
    }
    params.put("entry", entryId);
    if (fence.isEmpty()) {
      appendEvents(sql, "", entryId, at, notes, params);
    } else {
      // The events only with the fence held: written by the recipient's update (which locks the
      // row), or else read and locked here.
      sql.append("INSERT INTO journal_event (entry_id, occurred_at, state, stage, reason, detail)")
          .append(" SELECT * FROM (");
      appendValues(sql, "", entryId, at, notes, params);
      sql.append(") AS fenced WHERE EXISTS (")
          .append(
              recipient != null
                  ? "SELECT 1 FROM addressed"
                  : "SELECT 1 FROM journal_entry WHERE id = :entry" + fence + " FOR UPDATE")
          .append(")");
    }
    int written = jdbc.sql(sql.toString()).params(params).update();
    if (relaxes) {
      relaxDone();
    }
    fenceChecked(entryId, fence, written == notes.size());
  }

  /**
   * {@code INSERT INTO journal_event ... VALUES (...), (...)} for these events of one entry, in
   * order (their ids are the history's order), with the values bound into {@code params} under
   * names starting with {@code prefix} (so the statement around it can bind its own).
   */
  private static void appendEvents(
      StringBuilder sql,
      String prefix,
      String entryId,
      OffsetDateTime at,
      List<Journal.Note> notes,
      Map<String, Object> params) {
    sql.append("INSERT INTO journal_event (entry_id, occurred_at, state, stage, reason, detail) ");
    appendValues(sql, prefix, entryId, at, notes, params);
  }

  /** {@code VALUES (...), (...)} of {@link #appendEvents}. */
  private static void appendValues(
      StringBuilder sql,
      String prefix,
      String entryId,
      OffsetDateTime at,
      List<Journal.Note> notes,
      Map<String, Object> params) {
    sql.append("VALUES ");
    params.put(prefix + "eventEntry", entryId);
    params.put(prefix + "eventAt", at);
    for (int i = 0; i < notes.size(); i++) {
      Journal.Note n = notes.get(i);
      String p = ":" + prefix;
      sql.append(i == 0 ? "" : ", ")
          .append("(" + p + "eventEntry, " + p + "eventAt, ")
          .append(p + "state" + i + ", " + p + "stage" + i + ", ")
          .append(p + "reason" + i + ", " + p + "detail" + i + ")");
      params.put(prefix + "state" + i, n.state().name());
      params.put(prefix + "stage" + i, Columns.fit(n.stage(), Columns.STAGE));
      params.put(prefix + "reason" + i, Columns.cut(n.reason(), Columns.REASON));
      params.put(prefix + "detail" + i, n.detail());
    }
  }

  Optional<JournalEntry> find(String id) {
    return jdbc.sql(
            "SELECT "
                + SUMMARY_COLUMNS
                + ", canonical_record, fhir_message FROM journal_entry WHERE id = :id")
        .param("id", id)
        .query((rs, n) -> entry(rs, true))
        .optional();
  }

  Optional<byte[]> payload(String id) {
    return jdbc.sql("SELECT payload FROM journal_entry WHERE id = :id")
        .param("id", id)
        .query((rs, n) -> Optional.ofNullable(rs.getBytes(1)))
        .optional()
        .flatMap(p -> p);
  }

  List<JournalEvent> events(String entryId) {
    return jdbc.sql(
            "SELECT id, occurred_at, state, stage, reason, detail FROM journal_event"
                + " WHERE entry_id = :id ORDER BY id")
        .param("id", entryId)
        .query(
            (rs, n) ->
                new JournalEvent(
                    rs.getLong("id"),
                    rs.getObject("occurred_at", OffsetDateTime.class),
                    MessageState.valueOf(rs.getString("state")),
                    rs.getString("stage"),
                    rs.getString("reason"),
                    rs.getString("detail")))
        .list();
  }

  List<JournalEntry> search(JournalQuery q) {
    Where where = where(q);
    return jdbc.sql(
            "SELECT "
                + SUMMARY_COLUMNS
                + " FROM journal_entry"
                + where.sql
                + " ORDER BY received_at DESC, id DESC LIMIT :limit OFFSET :offset")
        .params(where.params)
        .param("limit", q.size())
        .param("offset", (long) q.page() * q.size())
        .query((rs, n) -> entry(rs, false))
        .list();
  }

  long count(JournalQuery q) {
    Where where = where(q);
    return jdbc.sql("SELECT COUNT(*) FROM journal_entry" + where.sql)
        .params(where.params)
        .query(Long.class)
        .single();
  }

  /** The citizens' CPR numbers of these entries, by entry id (entries without one are left out). */
  Map<String, String> cprsOf(List<String> ids) {
    Map<String, String> cprs = new HashMap<>();
    if (ids.isEmpty()) {
      return cprs;
    }
    jdbc.sql(
            "SELECT id, citizen_cpr FROM journal_entry WHERE id IN (:ids) AND citizen_cpr IS NOT NULL")
        .param("ids", ids)
        .query((rs, n) -> cprs.put(rs.getString(1), rs.getString(2)))
        .list();
    return cprs;
  }

  List<PendingEntry> unfinished(
      List<MessageState> states, OffsetDateTime updatedBefore, int limit) {
    return jdbc.sql(
            "SELECT id, state FROM journal_entry WHERE state IN (:states) AND updated_at < :before"
                + " ORDER BY received_at LIMIT :limit")
        .param("states", states.stream().map(Enum::name).toList())
        .param("before", updatedBefore)
        .param("limit", limit)
        .query((rs, n) -> new PendingEntry(rs.getString(1), MessageState.valueOf(rs.getString(2))))
        .list();
  }

  // Recovery's order, in the three queries below: oldest first, but entries a stage had started
  // on (it was killed or failed there) after those never started. Otherwise the same first entries
  // are in a stage again right after every start, and repeated kills set innocent ones aside
  // (docs/limits.md); and a record that kills the process runs after the others, so they are
  // delivered before it crashes the gateway again.
  /**
   * Unfinished entries of {@code owner} last touched before {@code updatedBefore} (its previous
   * run's work).
   */
  List<PendingEntry> unfinishedOf(
      String owner, List<MessageState> states, OffsetDateTime updatedBefore, int limit) {
    return jdbc.sql(
            "SELECT id, state FROM journal_entry WHERE state IN (:states) AND owner_node = :owner"
                + " AND updated_at < :before ORDER BY attempts > 0, received_at LIMIT :limit")
        .param("states", states.stream().map(Enum::name).toList())
        .param("owner", owner)
        .param("before", updatedBefore)
        .param("limit", limit)
        .query((rs, n) -> new PendingEntry(rs.getString(1), MessageState.valueOf(rs.getString(2))))
        .list();
  }

  /**
   * Takes over unfinished entries whose owner is none of {@code alive}: they become this node's, in
   * one statement that skips rows another node is claiming or moving at the same moment.
   */
  List<PendingEntry> claimOrphans(List<MessageState> states, List<String> alive, int limit) {
    return jdbc.sql(
            """
            WITH claimed AS (
              UPDATE journal_entry SET owner_node = :node WHERE id IN (
                SELECT id FROM journal_entry WHERE state IN (:states) AND owner_node IS NOT NULL
                  AND owner_node NOT IN (:alive)
                ORDER BY attempts > 0, received_at LIMIT :limit FOR UPDATE SKIP LOCKED)
              RETURNING id, state, received_at, attempts)
            SELECT id, state FROM claimed ORDER BY attempts > 0, received_at""")
        .param("node", node)
        .param("states", states.stream().map(Enum::name).toList())
        .param("alive", alive)
        .param("limit", limit)
        .query((rs, n) -> new PendingEntry(rs.getString(1), MessageState.valueOf(rs.getString(2))))
        .list();
  }

  /**
   * Takes over the unfinished entries last touched before {@code updatedBefore}, whoever owned
   * them: they become this node's, so a sweep does not take them again while they wait in its
   * queues.
   */
  List<PendingEntry> claimUnfinished(
      List<MessageState> states, OffsetDateTime updatedBefore, int limit) {
    return jdbc.sql(
            """
            WITH claimed AS (
              UPDATE journal_entry SET owner_node = :node WHERE id IN (
                SELECT id FROM journal_entry WHERE state IN (:states) AND updated_at < :before
                ORDER BY attempts > 0, received_at LIMIT :limit FOR UPDATE SKIP LOCKED)
              RETURNING id, state, received_at, attempts)
            SELECT id, state FROM claimed ORDER BY attempts > 0, received_at""")
        .param("node", node)
        .param("states", states.stream().map(Enum::name).toList())
        .param("before", updatedBefore)
        .param("limit", limit)
        .query((rs, n) -> new PendingEntry(rs.getString(1), MessageState.valueOf(rs.getString(2))))
        .list();
  }

  /** The node an entry belongs to (its last intake or state move), empty when unknown. */
  Optional<String> owner(String id) {
    return jdbc.sql("SELECT owner_node FROM journal_entry WHERE id = :id")
        .param("id", id)
        .query(String.class)
        .optional();
  }

  private static Where where(JournalQuery q) {
    List<String> clauses = new ArrayList<>();
    Map<String, Object> params = new HashMap<>();
    if (q.state() != null) {
      clauses.add("state = :state");
      params.put("state", q.state().name());
    }
    if (q.source() != null) {
      clauses.add("source = :source");
      params.put("source", q.source());
    }
    if (q.channel() != null) {
      clauses.add("channel = :channel");
      params.put("channel", q.channel().name());
    }
    if (q.recipient() != null) {
      clauses.add("(recipient_sor = :recipient OR recipient_gln = :recipient)");
      params.put("recipient", q.recipient());
    }
    if (q.recipientOrName() != null) {
      clauses.add(
          "(recipient_sor = :recipientOrName OR recipient_gln = :recipientOrName"
              + " OR LOWER(recipient_name) LIKE :recipientName ESCAPE '\\')");
      params.put("recipientOrName", q.recipientOrName());
      params.put("recipientName", like(q.recipientOrName()));
    }
    if (q.messageType() != null) {
      clauses.add("message_type = :type");
      params.put("type", q.messageType());
    }
    if (q.since() != null) {
      clauses.add("received_at >= :since");
      params.put("since", q.since());
    }
    if (q.before() != null) {
      clauses.add("received_at < :before");
      params.put("before", q.before());
    }
    if (q.reasonContains() != null) {
      clauses.add("LOWER(state_reason) LIKE :reason ESCAPE '\\'");
      params.put("reason", like(q.reasonContains()));
    }
    if (q.cpr() != null) {
      clauses.add("citizen_cpr = :cpr");
      params.put("cpr", q.cpr());
    }
    String sql = clauses.isEmpty() ? "" : " WHERE " + String.join(" AND ", clauses);
    return new Where(sql, params);
  }

  /**
   * A LIKE pattern for "contains, ignoring case", with the pattern characters in the text escaped.
   */
  static String like(String text) {
    String escaped =
        text.toLowerCase(Locale.ROOT).replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    return "%" + escaped + "%";
  }

  private record Where(String sql, Map<String, Object> params) {}

  private static JournalEntry entry(ResultSet rs, boolean withPayloads) throws SQLException {
    return new JournalEntry(
        rs.getString("id"),
        rs.getString("source"),
        rs.getString("source_record_id"),
        rs.getString("content_hash"),
        Channel.valueOf(rs.getString("channel")),
        rs.getString("original_name"),
        rs.getString("content_type"),
        rs.getLong("payload_size"),
        rs.getString("archive_path"),
        rs.getObject("received_at", OffsetDateTime.class),
        rs.getObject("updated_at", OffsetDateTime.class),
        MessageState.valueOf(rs.getString("state")),
        rs.getString("state_reason"),
        withPayloads ? rs.getString("canonical_record") : null,
        rs.getString("message_type"),
        rs.getString("message_header_id"),
        rs.getString("bundle_id"),
        withPayloads ? rs.getString("fhir_message") : null,
        rs.getString("fhir_format"),
        rs.getString("recipient_sor"),
        rs.getString("recipient_gln"),
        rs.getString("recipient_name"),
        rs.getString("outbox_path"));
  }
}
