package dk.sektorbro.gateway.admin;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dk.sektorbro.gateway.journal.Journal;
import dk.sektorbro.gateway.journal.JournalEntry;
import dk.sektorbro.gateway.journal.JournalEvent;
import dk.sektorbro.gateway.record.Cpr;
import io.swagger.v3.oas.annotations.media.Schema;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.springframework.stereotype.Component;

/** The JSON shapes of journal entries in {@code /api/v1/messages}, read from the journal. */
@Component
public class MessageViews {

  private final Journal journal;
  private final ObjectMapper json;

  public MessageViews(Journal journal, ObjectMapper json) {
    this.journal = journal;
    this.json = json;
  }

  /** One page of the message list, newest first; {@code total} counts every match. */
  public record MessagePage(int page, int size, long total, List<MessageSummary> items) {}

  /** A journal entry in the list: where it came from, its state and why, its recipient. */
  public record MessageSummary(
      String id,
      String source,
      String sourceRecordId,
      String channel,
      String originalName,
      OffsetDateTime receivedAt,
      OffsetDateTime updatedAt,
      String state,
      String reason,
      String messageType,
      String messageHeaderId,
      MessageRecipient recipient) {}

  public record MessageRecipient(String sor, String gln, String name) {}

  /** One journal entry with its history and payloads (personal data: reading it is audited). */
  public record MessageEntry(
      @JsonUnwrapped MessageSummary summary,
      String contentHash,
      String contentType,
      long payloadSize,
      String archivePath,
      String bundleId,
      String outboxPath,
      List<HistoryEvent> history,
      OriginalPayload original,
      @Schema(description = "the canonical record as JSON") JsonNode canonicalRecord,
      String fhirFormat,
      String fhirMessage) {}

  /** One step of the history; {@code detail} is JSON when it was stored as JSON, else text. */
  public record HistoryEvent(
      OffsetDateTime at,
      String state,
      String stage,
      String reason,
      @Schema(description = "JSON object or array, or text") Object detail) {}

  /** The original bytes: as text when they are UTF-8, else base64 (never altered). */
  public record OriginalPayload(
      @Schema(allowableValues = {"utf-8", "base64"}) String encoding, String content) {}

  /**
   * A line of the list, which carries no CPR number (reading one is audited): the texts a source
   * chose, its file name and record id, and the reasons quoting them, are shown with anything
   * shaped like a CPR number masked.
   */
  MessageSummary listed(JournalEntry e) {
    MessageSummary s = summary(e);
    return new MessageSummary(
        s.id(),
        s.source(),
        Cpr.maskWithin(s.sourceRecordId()),
        s.channel(),
        Cpr.maskWithin(s.originalName()),
        s.receivedAt(),
        s.updatedAt(),
        s.state(),
        Cpr.maskWithin(s.reason()),
        s.messageType(),
        s.messageHeaderId(),
        s.recipient());
  }

  MessageSummary summary(JournalEntry e) {
    return new MessageSummary(
        e.id(),
        e.source(),
        e.sourceRecordId(),
        e.channel().name(),
        e.originalName(),
        e.receivedAt(),
        e.updatedAt(),
        e.state().name(),
        e.stateReason(),
        e.messageType(),
        e.messageHeaderId(),
        new MessageRecipient(e.recipientSor(), e.recipientGln(), e.recipientName()));
  }

  MessageEntry detail(JournalEntry entry) {
    return new MessageEntry(
        summary(entry),
        entry.contentHash(),
        entry.contentType(),
        entry.payloadSize(),
        entry.archivePath(),
        entry.bundleId(),
        entry.outboxPath(),
        journal.history(entry.id()).stream().map(this::event).toList(),
        original(entry.id()),
        readJson(entry.canonicalRecord()),
        entry.fhirFormat(),
        entry.fhirMessage());
  }

  private HistoryEvent event(JournalEvent e) {
    return new HistoryEvent(
        e.occurredAt(), e.state().name(), e.stage(), e.reason(), readJsonOrText(e.detail()));
  }

  private OriginalPayload original(String id) {
    return journal.payload(id).map(MessageViews::original).orElse(null);
  }

  private static OriginalPayload original(byte[] bytes) {
    return utf8(bytes)
        .map(text -> new OriginalPayload("utf-8", text))
        .orElseGet(() -> new OriginalPayload("base64", Base64.getEncoder().encodeToString(bytes)));
  }

  /**
   * The bytes as text when they are valid UTF-8 (an original is kept byte for byte, UTF-8 or not).
   */
  static Optional<String> utf8(byte[] bytes) {
    try {
      return Optional.of(
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(bytes))
              .toString());
    } catch (CharacterCodingException e) {
      return Optional.empty();
    }
  }

  private JsonNode readJson(String value) {
    try {
      return value == null ? null : json.readTree(value);
    } catch (IOException e) {
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
}
