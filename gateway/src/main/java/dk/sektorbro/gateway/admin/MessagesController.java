package dk.sektorbro.gateway.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dk.sektorbro.gateway.journal.Channel;
import dk.sektorbro.gateway.journal.Journal;
import dk.sektorbro.gateway.journal.JournalEntry;
import dk.sektorbro.gateway.journal.JournalEvent;
import dk.sektorbro.gateway.journal.JournalQuery;
import dk.sektorbro.gateway.journal.MessageState;
import dk.sektorbro.gateway.platform.web.ApiPaths;
import dk.sektorbro.gateway.platform.web.OperationOutcomes;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Read access to the journal: the message list with filters, and one entry with its history and
 * payloads.
 */
@RestController
@RequestMapping(ApiPaths.MESSAGES)
public class MessagesController {

  private static final int MAX_PAGE_SIZE = 200;

  private final Journal journal;
  private final OperationOutcomes outcomes;
  private final ObjectMapper json;

  private final AuditLog audit;

  public MessagesController(
      Journal journal, OperationOutcomes outcomes, ObjectMapper json, AuditLog audit) {
    this.journal = journal;
    this.outcomes = outcomes;
    this.json = json;
    this.audit = audit;
  }

  @GetMapping
  public ResponseEntity<?> list(
      @RequestParam(required = false) String state,
      @RequestParam(required = false) String source,
      @RequestParam(required = false) Channel channel,
      @RequestParam(required = false) String recipient,
      @RequestParam(required = false) String since,
      @RequestParam(defaultValue = "0") int page,
      @RequestParam(defaultValue = "50") int size) {
    MessageState stateFilter;
    OffsetDateTime sinceFilter;
    try {
      stateFilter =
          state == null || state.isBlank() ? null : MessageState.valueOf(state.toUpperCase());
    } catch (IllegalArgumentException e) {
      return outcomes.error(
          HttpStatus.BAD_REQUEST,
          IssueType.VALUE,
          "state: unknown state, expected one of " + Arrays.toString(MessageState.values()));
    }
    try {
      sinceFilter = since == null || since.isBlank() ? null : OffsetDateTime.parse(since);
    } catch (DateTimeParseException e) {
      return outcomes.error(
          HttpStatus.BAD_REQUEST,
          IssueType.VALUE,
          "since: expected an ISO 8601 date-time with offset, e.g. 2026-11-23T00:00:00Z");
    }
    if (page < 0 || size < 1 || size > MAX_PAGE_SIZE) {
      return outcomes.error(
          HttpStatus.BAD_REQUEST,
          IssueType.VALUE,
          "page must be >= 0 and size between 1 and " + MAX_PAGE_SIZE);
    }
    JournalQuery query =
        new JournalQuery(
            stateFilter,
            blankToNull(source),
            channel,
            blankToNull(recipient),
            sinceFilter,
            page,
            size);
    List<Map<String, Object>> items =
        journal.search(query).stream().map(MessagesController::summary).toList();
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("page", page);
    body.put("size", size);
    body.put("total", journal.count(query));
    body.put("items", items);
    return ResponseEntity.ok(body);
  }

  @GetMapping("/{id}")
  public ResponseEntity<?> get(@PathVariable String id, java.security.Principal user) {
    return journal
        .find(id)
        .<ResponseEntity<?>>map(
            entry -> {
              // The answer carries the full personal data: an audited access, as in the console.
              audit.record(
                  user == null ? "?" : user.getName(),
                  AuditAction.VIEW_PERSONAL_DATA,
                  id,
                  null,
                  "opened via api",
                  null);
              return ResponseEntity.ok(detail(entry));
            })
        .orElseGet(
            () ->
                outcomes.error(
                    HttpStatus.NOT_FOUND, IssueType.NOTFOUND, "no journal entry with id " + id));
  }

  private Map<String, Object> detail(JournalEntry entry) {
    Map<String, Object> body = summary(entry);
    body.put("contentHash", entry.contentHash());
    body.put("contentType", entry.contentType());
    body.put("payloadSize", entry.payloadSize());
    body.put("archivePath", entry.archivePath());
    body.put("bundleId", entry.bundleId());
    body.put("outboxPath", entry.outboxPath());
    body.put("history", journal.history(entry.id()).stream().map(this::event).toList());
    body.put("original", original(entry.id()));
    body.put("canonicalRecord", readJson(entry.canonicalRecord()));
    body.put("fhirFormat", entry.fhirFormat());
    body.put("fhirMessage", entry.fhirMessage());
    return body;
  }

  private static Map<String, Object> summary(JournalEntry e) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", e.id());
    m.put("source", e.source());
    m.put("sourceRecordId", e.sourceRecordId());
    m.put("channel", e.channel().name());
    m.put("originalName", e.originalName());
    m.put("receivedAt", e.receivedAt());
    m.put("updatedAt", e.updatedAt());
    m.put("state", e.state().name());
    m.put("reason", e.stateReason());
    m.put("messageType", e.messageType());
    m.put("messageHeaderId", e.messageHeaderId());
    Map<String, Object> recipient = new LinkedHashMap<>();
    recipient.put("sor", e.recipientSor());
    recipient.put("gln", e.recipientGln());
    recipient.put("name", e.recipientName());
    m.put("recipient", recipient);
    return m;
  }

  private Map<String, Object> event(JournalEvent e) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("at", e.occurredAt());
    m.put("state", e.state().name());
    m.put("stage", e.stage());
    m.put("reason", e.reason());
    m.put("detail", readJsonOrText(e.detail()));
    return m;
  }

  // The original bytes: as text when they are UTF-8, else base64 (never altered).
  private Map<String, Object> original(String id) {
    return journal
        .payload(id)
        .map(
            bytes -> {
              Map<String, Object> m = new LinkedHashMap<>();
              try {
                String text =
                    StandardCharsets.UTF_8
                        .newDecoder()
                        .onMalformedInput(CodingErrorAction.REPORT)
                        .decode(ByteBuffer.wrap(bytes))
                        .toString();
                m.put("encoding", "utf-8");
                m.put("content", text);
              } catch (CharacterCodingException e) {
                m.put("encoding", "base64");
                m.put("content", Base64.getEncoder().encodeToString(bytes));
              }
              return m;
            })
        .orElse(null);
  }

  private JsonNode readJson(String value) {
    try {
      return value == null ? null : json.readTree(value);
    } catch (java.io.IOException e) {
      return null;
    }
  }

  private Object readJsonOrText(String value) {
    if (value == null) {
      return null;
    }
    JsonNode node = value.startsWith("[") || value.startsWith("{") ? readJson(value) : null;
    return node != null ? node : value;
  }

  private static String blankToNull(String value) {
    return value == null || value.isBlank() ? null : value;
  }
}
