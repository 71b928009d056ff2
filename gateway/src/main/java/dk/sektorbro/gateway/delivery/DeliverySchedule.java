package dk.sektorbro.gateway.delivery;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.kagkarlsson.scheduler.SchedulerClient;
import com.github.kagkarlsson.scheduler.boot.config.DbSchedulerProperties;
import com.github.kagkarlsson.scheduler.serializer.JacksonSerializer;
import com.github.kagkarlsson.scheduler.serializer.Serializer;
import com.github.kagkarlsson.scheduler.task.TaskInstance;
import com.github.kagkarlsson.scheduler.task.TaskInstanceId;
import dk.sektorbro.gateway.journal.JournalEntry;
import dk.sektorbro.gateway.journal.MessageState;
import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The delivery work of each message, kept by the work engine as one {@code message-delivery}
 * execution named by the journal id. Writes outside a run go through db-scheduler's client, which
 * joins the caller's transaction, so the journal state and the work that moves it on commit
 * together. During a run of the execution itself (the engine holds it) the next step is only noted
 * here; {@link DeliveryTask} applies it when the run completes (reschedule with the new data, or
 * remove).
 */
@Component
public class DeliverySchedule {

  public static final String TASK = "message-delivery";

  /** One message's pending work and when it is due. */
  public record Scheduled(String entryId, DeliveryWork work, OffsetDateTime dueAt) {}

  /** The run on this thread: the execution's current work and the next step noted so far. */
  private static final class Run {
    final String entryId;
    final Scheduled current;
    // The execution's version as the engine's pick left it, 0 when the engine did not pick it.
    final long version;
    Scheduled next;
    boolean removed;
    boolean takenOver;

    Run(Scheduled current, long version) {
      this.entryId = current.entryId();
      this.current = current;
      this.version = version;
    }
  }

  private static final ObjectMapper JSON = new ObjectMapper();
  // The engine's serializer as work.WorkEngineConfiguration configures it (db-scheduler's JSON,
  // defaults): the row created without the client carries the same bytes (DeliveryScheduleTest).
  private static final Serializer TASK_DATA = new JacksonSerializer();
  private final ThreadLocal<Run> running = new ThreadLocal<>();
  private final JdbcClient jdbc;
  private final ObjectProvider<SchedulerClient> engine;
  // The engine's client, looked up at first use (the engine is built after this bean): a provider
  // lookup per message resolved the dependency anew each time, code C2 was still compiling
  // thousands of messages in (docs/benchmarks.md, "the JIT in the steady state").
  private volatile SchedulerClient client;
  private final Clock clock;
  // As the engine's own insert: the priority column only when executions are ordered by it.
  private final boolean priority;

  public DeliverySchedule(
      JdbcClient jdbc,
      ObjectProvider<SchedulerClient> engine,
      ObjectProvider<DbSchedulerProperties> engineSettings,
      Clock clock) {
    this.jdbc = jdbc;
    this.engine = engine;
    this.clock = clock;
    // Read once: a provider lookup per message was a twentieth of the stage's CPU (JFR).
    DbSchedulerProperties settings = engineSettings.getIfAvailable();
    this.priority = settings != null && settings.isPriorityEnabled();
  }

  public Optional<Scheduled> find(String entryId) {
    Run run = ownRun(entryId);
    if (run != null) {
      return run.removed
          ? Optional.empty()
          : Optional.of(run.next != null ? run.next : run.current);
    }
    return jdbc.sql("SELECT * FROM scheduled_tasks WHERE task_name = :task AND task_instance = :id")
        .param("task", TASK)
        .param("id", entryId)
        .query((rs, n) -> scheduled(rs))
        .optional();
  }

  /**
   * The data of the message's execution ({@code task_data}, null when there is none) as a scalar
   * subquery on the parameter {@code :entry}, for a statement the delivery stage runs anyway: the
   * row read without a statement of its own (issue 14). A plain read, as {@link #find}'s: no lock.
   * Read the value with {@link #workOf}.
   */
  static final String WORK_OF_ENTRY =
      "(SELECT task_data FROM scheduled_tasks WHERE task_name = '"
          + TASK
          + "' AND task_instance = :entry)";

  /** The work in {@link #WORK_OF_ENTRY}'s value; a first send's when there is no execution. */
  static DeliveryWork workOf(byte[] taskData, String recipientGln) {
    return taskData == null ? DeliveryWork.first(recipientGln) : decode(taskData, null);
  }

  /**
   * An execution's data as the engine stored it; {@code entryId} names it in the error, if known.
   */
  private static DeliveryWork decode(byte[] taskData, String entryId) {
    try {
      return JSON.readValue(new String(taskData, StandardCharsets.UTF_8), DeliveryWork.class);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(
          "unreadable message-delivery data" + (entryId == null ? "" : " for " + entryId), e);
    }
  }

  /** True while this thread runs the message's execution (its work is the run's, not the row's). */
  boolean inRun(String entryId) {
    return ownRun(entryId) != null;
  }

  /**
   * Sets the message's work, due at {@code dueAt}. False when another run holds the execution right
   * now (e.g. a node is working on the acknowledgement deadline): that run decides the next step.
   */
  public boolean save(String entryId, DeliveryWork work, OffsetDateTime dueAt) {
    Run run = ownRun(entryId);
    if (run != null) {
      run.next = new Scheduled(entryId, work, dueAt);
      run.removed = false;
      return true;
    }
    SchedulerClient client = client();
    TaskInstanceId id = TaskInstanceId.of(TASK, entryId);
    // The first send of a message has no row yet: create it without reading it first.
    if (dueAt.isAfter(OffsetDateTime.now(clock))
        ? created(entryId, work, dueAt)
        : client.scheduleIfNotExists(new TaskInstance<>(TASK, entryId, work), dueAt.toInstant())) {
      return true;
    }
    var existing = client.getScheduledExecution(id);
    if (existing.isEmpty()) {
      // removed between the two calls (an execution ended): set it again, as asked
      client.schedule(new TaskInstance<>(TASK, entryId, work), dueAt.toInstant());
      return true;
    }
    if (existing.get().isPicked()) {
      return false;
    }
    return client.reschedule(id, dueAt.toInstant(), work);
  }

  /**
   * The row db-scheduler's {@code scheduleIfNotExists} would insert (same columns and values, data
   * by the engine's own serializer), in one statement that does nothing when the row exists: the
   * client reads the row before its insert, a second read of what the caller just read (issue 14).
   * The engine's poller picks the row up as any other. Only for work due later: the client's insert
   * of work due now also wakes the poller at once, which this does not.
   */
  private boolean created(String entryId, DeliveryWork work, OffsetDateTime dueAt) {
    return jdbc.sql(
                "INSERT INTO scheduled_tasks (task_name, task_instance, task_data, execution_time,"
                    + " picked, version"
                    + (priority ? ", priority" : "")
                    + ") VALUES (:task, :id, :data, :due, FALSE, 1"
                    + (priority ? ", :priority" : "")
                    + ") ON CONFLICT (task_name, task_instance) DO NOTHING")
            .param("task", TASK)
            .param("id", entryId)
            .param("data", TASK_DATA.serialize(work))
            .param("due", dueAt)
            .param("priority", new TaskInstance<>(TASK, entryId, work).getPriority())
            .update()
        == 1;
  }

  private SchedulerClient client() {
    SchedulerClient found = client;
    if (found == null) {
      found = engine.getObject();
      client = found;
    }
    return found;
  }

  /** Nothing left to do for the message (finished, or no longer deliverable). */
  public void delete(String entryId) {
    Run run = ownRun(entryId);
    if (run != null) {
      run.removed = true;
      run.next = null;
      return;
    }
    jdbc.sql(
            "DELETE FROM scheduled_tasks WHERE task_name = :task AND task_instance = :id AND NOT picked")
        .param("task", TASK)
        .param("id", entryId)
        .update();
  }

  /** Work of recipients with at least {@code minAttempts} failed attempts in a row, worst first. */
  public List<Scheduled> failing(int minAttempts) {
    return jdbc.sql(
            """
            SELECT * FROM scheduled_tasks WHERE task_name = :task
              AND convert_from(task_data, 'UTF8')::jsonb ->> 'purpose' = 'SEND'
              AND (convert_from(task_data, 'UTF8')::jsonb ->> 'attempts')::int >= :min
            ORDER BY (convert_from(task_data, 'UTF8')::jsonb ->> 'attempts')::int DESC, execution_time""")
        .param("task", TASK)
        .param("min", minAttempts)
        .query((rs, n) -> scheduled(rs))
        .list();
  }

  public long count(DeliveryWork.Purpose purpose) {
    return jdbc.sql(
            "SELECT COUNT(*) FROM scheduled_tasks WHERE task_name = :task"
                + " AND convert_from(task_data, 'UTF8')::jsonb ->> 'purpose' = :purpose")
        .param("task", TASK)
        .param("purpose", purpose.name())
        .query(Long.class)
        .single();
  }

  /**
   * Marks the start of a run of the message's execution on this thread; {@code version}: the
   * execution's version after the engine's pick (its fencing token, see
   * FixedOutboundMessages.Holder), 0 for a run the engine did not pick.
   */
  void beginRun(Scheduled current, long version) {
    running.set(new Run(current, version));
  }

  /** Who holds a delivery attempt of the entry made on this thread (the fencing token). */
  FixedOutboundMessages.Holder holder(JournalEntry read, String node) {
    Run run = ownRun(read.id());
    if (run == null) {
      // Outside a run the stage makes only the pipeline's first sends (VALIDATED, from this node's
      // deliver queue); any other attempt there is a caller's own (tests, tools).
      return read.state() == MessageState.VALIDATED
          ? FixedOutboundMessages.Holder.owner(node, read)
          : FixedOutboundMessages.Holder.ANY;
    }
    return run.version > 0
        ? FixedOutboundMessages.Holder.execution(run.version)
        : FixedOutboundMessages.Holder.ANY;
  }

  /**
   * This thread's run found its execution revived by another node meanwhile (it was stalled): the
   * execution is the other node's, so this run's end must leave it alone.
   */
  void takenOver(String entryId) {
    Run run = ownRun(entryId);
    if (run != null) {
      run.takenOver = true;
    }
  }

  /** True when this thread's run of the entry was taken over ({@link #takenOver}). */
  boolean runTakenOver(String entryId) {
    Run run = ownRun(entryId);
    return run != null && run.takenOver;
  }

  /** Ends the run: the next step noted during it, or empty when the execution is to be removed. */
  Optional<Scheduled> endRun() {
    Run run = running.get();
    running.remove();
    return run == null || run.removed || run.next == null
        ? Optional.empty()
        : Optional.of(run.next);
  }

  private Run ownRun(String entryId) {
    Run run = running.get();
    return run != null && run.entryId.equals(entryId) ? run : null;
  }

  private static Scheduled scheduled(ResultSet rs) throws SQLException {
    String entryId = rs.getString("task_instance");
    return new Scheduled(
        entryId,
        decode(rs.getBytes("task_data"), entryId),
        rs.getObject("execution_time", OffsetDateTime.class).withOffsetSameInstant(ZoneOffset.UTC));
  }
}
