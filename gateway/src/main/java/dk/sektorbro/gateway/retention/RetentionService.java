package dk.sektorbro.gateway.retention;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dk.sektorbro.gateway.admin.AuditAction;
import dk.sektorbro.gateway.admin.AuditLog;
import dk.sektorbro.gateway.journal.MessageState;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;
import java.util.function.IntSupplier;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Prunes the journal by {@link RetentionProperties}: per final state, first the contents (original
 * payload, canonical record, MedCom message) after {@code content}, then the whole entry with its
 * history after {@code history}. One small batch per state and kind at a time, each in one
 * transaction, archived first when an archive is configured, noted in each entry's history (while
 * it has one) and in the audit log. Held, failed and in-flight entries are never touched.
 */
@Service
public class RetentionService {

  static final String ACTOR = "system:retention";
  private static final Logger log = LoggerFactory.getLogger(RetentionService.class);
  private static final DateTimeFormatter FILE_TIME =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss");

  private final RetentionRepository repository;
  private final AuditLog audit;
  private final RetentionProperties properties;
  private final TransactionTemplate transactions;
  private final ObjectMapper json;
  private final Clock clock;

  public RetentionService(
      RetentionRepository repository,
      AuditLog audit,
      RetentionProperties properties,
      TransactionTemplate transactions,
      ObjectMapper json,
      Clock clock) {
    this.repository = repository;
    this.audit = audit;
    this.properties = properties;
    this.transactions = transactions;
    this.json = json;
    this.clock = clock;
  }

  /** What one pass did. */
  public record Pass(int contentsPruned, int entriesDeleted) {}

  /** Called by the retention route: one pass when enabled and inside the off-peak window. */
  public Pass tick() {
    if (!properties.enabled() || !properties.inWindow(LocalTime.now(clock))) {
      return new Pass(0, 0);
    }
    return runOnce();
  }

  /** One batch per state and kind, whatever the time. */
  public Pass runOnce() {
    int pruned = 0;
    int deleted = 0;
    for (Map.Entry<MessageState, RetentionProperties.Rule> e : properties.states().entrySet()) {
      RetentionProperties.Rule rule = e.getValue();
      if (rule.content() != null) {
        pruned += pruneContent(e.getKey(), rule.content());
      }
      if (rule.history() != null) {
        deleted += deleteHistory(e.getKey(), rule.history());
      }
    }
    pruned += pruneReceivedThreadMessages();
    deleted += deleteInbound();
    deleted += deleteAuditRecords();
    return new Pass(pruned, deleted);
  }

  private int pruneContent(MessageState state, Duration keep) {
    OffsetDateTime now = OffsetDateTime.now(clock);
    List<String> due = repository.contentDue(state, now.minus(keep), properties.batchSize());
    if (due.isEmpty()) {
      return 0;
    }
    List<Map<String, Object>> contents =
        withCopies(repository.contents(due), repository.copies(due));
    Map<String, String> files = repository.files(due);
    Path archive = archive("content", state, now, contents, List.of());
    List<Path> archivedFiles = archiveFiles(state, now, files);
    String reason =
        "content removed by retention: " + state + " for more than " + keep.toDays() + " days";
    List<String> pruned =
        transactions.execute(
            tx -> {
              List<String> ids = repository.pruneContent(due, state, now);
              String detail =
                  detail(
                      Map.of(
                          "rule",
                          "gateway.retention.states." + state + ".content",
                          "keep",
                          keep.toString(),
                          "archive",
                          archive == null ? "none" : archive.getFileName().toString()));
              ids.forEach(id -> repository.event(id, now, state, reason, detail));
              audit.record(
                  ACTOR,
                  AuditAction.RETENTION_PRUNE_CONTENT,
                  null,
                  state.name(),
                  reason,
                  detail(
                      Map.of(
                          "entries",
                          ids.size(),
                          "archive",
                          archive == null ? "none" : archive.getFileName().toString(),
                          "copies",
                          contents.stream().mapToInt(c -> ((List<?>) c.get("copies")).size()).sum(),
                          "files",
                          files.size(),
                          "archivedFiles",
                          archivedFiles.size())));
              return ids;
            });
    deleteFiles(files, pruned);
    log.info(
        "retention pruned content state={} entries={} archive={}",
        state,
        pruned.size(),
        archive == null ? "none" : archive.getFileName());
    return pruned.size();
  }

  private int deleteHistory(MessageState state, Duration keep) {
    OffsetDateTime now = OffsetDateTime.now(clock);
    List<String> due = repository.historyDue(state, now.minus(keep), properties.batchSize());
    if (due.isEmpty()) {
      return 0;
    }
    // Without a content rule the copies and files are still there: they go (archived) with the
    // entry.
    Map<String, String> files = repository.files(due);
    Path archive =
        archive(
            "history",
            state,
            now,
            withCopies(repository.contents(due), repository.copies(due)),
            repository.events(due));
    archiveFiles(state, now, files);
    String reason =
        "entries and history deleted by retention: "
            + state
            + " for more than "
            + keep.toDays()
            + " days";
    List<String> deleted =
        transactions.execute(
            tx -> {
              List<String> ids = repository.deleteHistory(due, state);
              // The entries are gone; the audit log keeps which ones, when and why (ids are not
              // personal data).
              audit.record(
                  ACTOR,
                  AuditAction.RETENTION_DELETE_HISTORY,
                  null,
                  state.name(),
                  reason,
                  detail(
                      Map.of(
                          "entries",
                          ids,
                          "archive",
                          archive == null ? "none" : archive.getFileName().toString())));
              return ids;
            });
    deleteFiles(files, deleted);
    log.info(
        "retention deleted entries state={} entries={} archive={}",
        state,
        deleted.size(),
        archive == null ? "none" : archive.getFileName());
    return deleted.size();
  }

  // Received CareCommunications kept for replies and forwards: the inbound content rule.
  private int pruneReceivedThreadMessages() {
    Duration keep = properties.inbound().content();
    if (keep == null) {
      return 0;
    }
    OffsetDateTime now = OffsetDateTime.now(clock);
    List<Map<String, Object>> due =
        repository.receivedThreadMessagesDue(now.minus(keep), properties.batchSize());
    if (due.isEmpty()) {
      return 0;
    }
    String reason =
        "received CareCommunications removed by retention: kept for more than "
            + keep.toDays()
            + " days";
    List<String> ids = due.stream().map(r -> (String) r.get("messageHeaderId")).toList();
    return removeArchived(
        "received-messages",
        now,
        due,
        new Removal(
            AuditAction.RETENTION_PRUNE_CONTENT, "INBOUND", reason, "pruned received messages"),
        () -> repository.deleteReceivedThreadMessages(ids),
        count -> Map.of("receivedMessages", ids));
  }

  // The record of each message received from another organisation: the inbound history rule.
  private int deleteInbound() {
    Duration keep = properties.inbound().history();
    if (keep == null) {
      return 0;
    }
    OffsetDateTime now = OffsetDateTime.now(clock);
    List<Map<String, Object>> due = repository.inboundDue(now.minus(keep), properties.batchSize());
    if (due.isEmpty()) {
      return 0;
    }
    String reason =
        "received messages deleted by retention: received more than " + keep.toDays() + " days ago";
    List<String> ids = due.stream().map(r -> (String) r.get("id")).toList();
    return removeArchived(
        "inbound",
        now,
        due,
        new Removal(
            AuditAction.RETENTION_DELETE_HISTORY, "INBOUND", reason, "deleted inbound messages"),
        () -> repository.deleteInbound(ids),
        count -> Map.of("inboundMessages", ids));
  }

  // The admin audit log (who opened or changed what, naming the citizen): the audit-log rule. The
  // batch's own record says how many went and the id range, never whose they were.
  private int deleteAuditRecords() {
    Duration keep = properties.auditLog();
    OffsetDateTime now = OffsetDateTime.now(clock);
    List<Map<String, Object>> due = repository.auditDue(now.minus(keep), properties.batchSize());
    if (due.isEmpty()) {
      return 0;
    }
    List<Long> ids = due.stream().map(r -> (Long) r.get("id")).toList();
    String reason = "audit records deleted by retention: older than " + keep.toDays() + " days";
    return removeArchived(
        "audit",
        now,
        due,
        new Removal(
            AuditAction.RETENTION_DELETE_HISTORY, "ADMIN_AUDIT", reason, "deleted audit records"),
        () -> repository.deleteAudit(ids),
        count -> Map.of("auditRecords", count, "ids", ids.get(0) + ".." + ids.get(ids.size() - 1)));
  }

  /** How a batch removed by a rule is audited and logged. */
  private record Removal(AuditAction action, String target, String reason, String logged) {}

  /**
   * A batch of rows a rule removes: archived first (when an archive is configured), then removed
   * and audited in one transaction; {@code facts} says in the audit record what went.
   */
  private int removeArchived(
      String kind,
      OffsetDateTime now,
      List<Map<String, Object>> due,
      Removal removal,
      IntSupplier remove,
      IntFunction<Map<String, ?>> facts) {
    Path archive = archiveRows(kind, now, due);
    String archived = archive == null ? "none" : archive.getFileName().toString();
    Integer removed =
        transactions.execute(
            tx -> {
              int count = remove.getAsInt();
              Map<String, Object> detail = new LinkedHashMap<>(facts.apply(count));
              detail.put("archive", archived);
              audit.record(
                  ACTOR,
                  removal.action(),
                  null,
                  removal.target(),
                  removal.reason(),
                  detail(detail));
              return count;
            });
    log.info("retention {}={} archive={}", removal.logged(), removed, archived);
    return removed == null ? 0 : removed;
  }

  private static List<Map<String, Object>> withCopies(
      List<Map<String, Object>> entries, List<Map<String, Object>> copies) {
    List<Map<String, Object>> result = new ArrayList<>();
    for (Map<String, Object> entry : entries) {
      Map<String, Object> line = new LinkedHashMap<>(entry);
      line.put(
          "copies", copies.stream().filter(c -> entry.get("id").equals(c.get("entryId"))).toList());
      result.add(line);
    }
    return result;
  }

  // A kept file (oversize original, a file that could not be journaled) is archived as it is,
  // encrypted and streamed, one archive file each; written before anything is pruned.
  private List<Path> archiveFiles(
      MessageState state, OffsetDateTime now, Map<String, String> files) {
    RetentionProperties.Archive archive = properties.archive();
    List<Path> written = new ArrayList<>();
    if (!archive.enabled()) {
      return written;
    }
    byte[] key = RetentionArchive.key(archive.keyFile());
    files.forEach(
        (entryId, file) -> {
          if (Files.isRegularFile(Path.of(file))) {
            written.add(
                RetentionArchive.writeFile(
                    archive.dir(),
                    "retention-"
                        + FILE_TIME.format(now)
                        + "-"
                        + state.name().toLowerCase()
                        + "-file-"
                        + entryId
                        + ".gz.aes",
                    key,
                    Path.of(file)));
          }
        });
    return written;
  }

  // After the commit: the entries no longer point at content, so their files go too.
  private static void deleteFiles(Map<String, String> files, List<String> pruned) {
    files.forEach(
        (entryId, file) -> {
          if (pruned.contains(entryId)) {
            try {
              Files.deleteIfExists(Path.of(file));
            } catch (IOException e) {
              log.warn(
                  "retention could not delete a kept file entry={} cause={}",
                  entryId,
                  e.getClass().getSimpleName());
            }
          }
        });
  }

  private Path archiveRows(String kind, OffsetDateTime now, List<Map<String, Object>> rows) {
    RetentionProperties.Archive archive = properties.archive();
    if (!archive.enabled()) {
      return null;
    }
    String lines = String.join("\n", rows.stream().map(this::detail).toList()) + "\n";
    String first = String.valueOf(rows.get(0).values().iterator().next());
    return RetentionArchive.write(
        archive.dir(),
        "retention-"
            + FILE_TIME.format(now)
            + "-"
            + kind
            + "-"
            + first.replaceAll("[^A-Za-z0-9-]", "_")
            + ".jsonl.gz.aes",
        RetentionArchive.key(archive.keyFile()),
        lines);
  }

  // Written before the transaction: if the archive cannot be written, nothing is pruned.
  private Path archive(
      String kind,
      MessageState state,
      OffsetDateTime now,
      List<Map<String, Object>> entries,
      List<Map<String, Object>> events) {
    RetentionProperties.Archive archive = properties.archive();
    if (!archive.enabled()) {
      return null;
    }
    List<String> lines = new ArrayList<>();
    for (Map<String, Object> entry : entries) {
      Map<String, Object> line = new LinkedHashMap<>(entry);
      List<Map<String, Object>> history =
          events.stream()
              .filter(ev -> entry.get("id").equals(ev.get("entryId")))
              .collect(Collectors.toList());
      if (!history.isEmpty()) {
        line.put("history", history);
      }
      lines.add(detail(line));
    }
    String name =
        "retention-"
            + FILE_TIME.format(now)
            + "-"
            + state.name().toLowerCase()
            + "-"
            + kind
            + "-"
            + entries.get(0).get("id")
            + ".jsonl.gz.aes";
    return RetentionArchive.write(
        archive.dir(),
        name,
        RetentionArchive.key(archive.keyFile()),
        String.join("\n", lines) + "\n");
  }

  private String detail(Map<String, ?> values) {
    try {
      return json.writeValueAsString(values);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
