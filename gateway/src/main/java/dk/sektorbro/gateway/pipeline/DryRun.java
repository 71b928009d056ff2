package dk.sektorbro.gateway.pipeline;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonInclude.Include;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dk.sektorbro.gateway.gate.GateDecision;
import dk.sektorbro.gateway.gate.GateOrder;
import dk.sektorbro.gateway.gate.OutboundGate;
import dk.sektorbro.gateway.journal.Channel;
import dk.sektorbro.gateway.journal.JournalEntry;
import dk.sektorbro.gateway.journal.MessageState;
import dk.sektorbro.gateway.mapping.MappingDefinition;
import dk.sektorbro.gateway.mapping.MappingOutcome;
import dk.sektorbro.gateway.mapping.RecordMapper;
import dk.sektorbro.gateway.medcom.CareCommunicationBuilder;
import dk.sektorbro.gateway.medcom.FhirMessageCodec;
import dk.sektorbro.gateway.medcom.MessageIds;
import dk.sektorbro.gateway.platform.GatewayProperties;
import dk.sektorbro.gateway.record.CanonicalRecord;
import dk.sektorbro.gateway.validation.MessageValidator;
import dk.sektorbro.gateway.validation.ValidationReport;
import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.hl7.fhir.r4.model.Bundle;
import org.springframework.stereotype.Component;

/**
 * A mapping tried on one record without consequences: the same mapper, gates, builder and validator
 * as the pipeline, in the same order, but nothing is journaled, queued or sent. The gates see a
 * stand-in journal entry that has no history, so the consent and addressing decisions are the ones
 * a new record would get now.
 */
@Component
public class DryRun {

  private final RecordMapper mapper;
  private final List<OutboundGate> gates;
  private final CareCommunicationBuilder builder;
  private final FhirMessageCodec codec;
  private final MessageValidator validator;
  private final GatewayProperties.FhirFormat format;
  private final ObjectMapper json;
  private final Clock clock;

  public DryRun(
      RecordMapper mapper,
      List<OutboundGate> gates,
      CareCommunicationBuilder builder,
      FhirMessageCodec codec,
      MessageValidator validator,
      GatewayProperties properties,
      ObjectMapper json,
      Clock clock) {
    this.mapper = mapper;
    this.gates = GateOrder.gates(gates);
    this.builder = builder;
    this.codec = codec;
    this.validator = validator;
    this.format = properties.delivery().format();
    this.json = json;
    this.clock = clock;
  }

  /**
   * What a dry run found, as {@code POST /api/v1/mappings/{source}/$test} answers it: the parts a
   * run did not reach are absent, not null ({@code recordId} is null for a record without one).
   */
  @Schema(name = "DryRunResult")
  public record Result(
      String source,
      boolean journaled,
      boolean sent,
      String recordId,
      @JsonInclude(Include.NON_NULL) List<String> mappingIssues,
      @JsonInclude(Include.NON_NULL) JsonNode canonicalRecord,
      @JsonInclude(Include.NON_NULL) List<Gate> gates,
      @JsonInclude(Include.NON_NULL) Message message,
      @JsonInclude(Include.NON_NULL) Validation validation,
      Outcome outcome) {}

  /**
   * One gate's decision: the state it would hold or fail the record in (null when it passes), and
   * the recipient as it changed it (absent when it did not).
   */
  @Schema(name = "DryRunGate")
  public record Gate(
      String gate,
      String decision,
      String state,
      String reason,
      JsonNode detail,
      @JsonInclude(Include.NON_NULL) JsonNode changedRecipient) {}

  /** The MedCom message built, or only the error that stopped building it. */
  @Schema(name = "DryRunMessage")
  @JsonInclude(Include.NON_NULL)
  public record Message(
      String type, String messageHeaderId, String format, String content, String error) {

    static Message failed(String error) {
      return new Message(null, null, null, null, error);
    }
  }

  @Schema(name = "DryRunValidation")
  public record Validation(String chain, boolean valid, List<ValidationReport.Issue> issues) {}

  /** The state the record would end in now, and why. */
  @Schema(name = "DryRunOutcome")
  public record Outcome(String state, String reason) {}

  /** Everything the pipeline would decide for this record now. */
  public Result run(MappingDefinition mapping, byte[] payload, String contentType) {
    MappingOutcome outcome = mapper.map(mapping, payload);
    Answer result = new Answer(mapping.source(), outcome.recordId());
    if (outcome instanceof MappingOutcome.Malformed malformed) {
      return result.finish("FAILED", "mapping: " + malformed.reason());
    }
    if (outcome instanceof MappingOutcome.Invalid invalid) {
      result.mappingIssues = invalid.issues().stream().map(Object::toString).toList();
      return result.finish("FAILED", "mapping: " + invalid.summary());
    }
    MappingOutcome.Mapped mapped = (MappingOutcome.Mapped) outcome;
    if (mapped.plan() != null) {
      return result.finish(
          "NOT_TRIED",
          "plan sources (care-plan documents) are not dry-run; only the mapping was tried");
    }
    CanonicalRecord record = mapped.record();
    result.canonicalRecord = json.valueToTree(record);

    String stoppedBy = null;
    String outcomeState = null;
    List<Gate> decisions = new ArrayList<>();
    JournalEntry standIn = standIn(mapping, payload, contentType);
    for (OutboundGate gate : gates) {
      GateDecision decision = gate.check(standIn, record);
      String state =
          decision.kind() == GateDecision.Kind.HOLD
              ? decision.holdState().name()
              : decision.kind() == GateDecision.Kind.FAIL ? MessageState.FAILED.name() : null;
      JsonNode changedRecipient = null;
      if (decision.changed() != null) {
        record = decision.changed();
        changedRecipient = json.valueToTree(record.recipient());
      }
      decisions.add(
          new Gate(
              gate.name(),
              decision.kind().name(),
              state,
              decision.reason(),
              parse(decision.detail()),
              changedRecipient));
      if (decision.kind() != GateDecision.Kind.PASS && stoppedBy == null) {
        stoppedBy = gate.name() + ": " + decision.reason();
        outcomeState = String.valueOf(state);
      }
    }
    result.gates = decisions;

    // The message is built and validated even when a gate would stop the record, so an integrator
    // sees the whole result of a mapping in one try.
    String message;
    try {
      if (record.recipient().sor() == null || record.recipient().gln() == null) {
        throw new IllegalArgumentException(
            "recipient needs both a SOR code and an EAN/GLN location number");
      }
      MessageIds ids = MessageIds.generate(UUID::randomUUID, record.attachments().size());
      Bundle bundle = builder.build(record, ids);
      message = codec.encodeBuilt(bundle, format);
      result.message =
          new Message(
              TranslationStage.MESSAGE_TYPE, ids.messageHeaderId(), format.name(), message, null);
    } catch (RuntimeException e) {
      result.message = Message.failed(String.valueOf(e.getMessage()));
      return result.finish(
          outcomeState != null ? outcomeState : "FAILED",
          stoppedBy != null ? stoppedBy : "translation: " + e.getMessage());
    }
    ValidationReport report =
        validator.validate(TranslationStage.MESSAGE_TYPE, message, format.name());
    result.validation = new Validation(report.chain(), report.valid(), report.issues());
    if (stoppedBy != null) {
      return result.finish(outcomeState, stoppedBy);
    }
    if (!report.valid()) {
      return result.finish("FAILED", "validation: " + report.errors().size() + " error(s)");
    }
    return result.finish("VALIDATED", "would be delivered to " + record.recipient().gln());
  }

  /** The parts of a {@link Result} as a run reaches them. */
  private static final class Answer {
    private final String source;
    private final String recordId;
    private List<String> mappingIssues;
    private JsonNode canonicalRecord;
    private List<Gate> gates;
    private Message message;
    private Validation validation;

    Answer(String source, String recordId) {
      this.source = source;
      this.recordId = recordId;
    }

    Result finish(String state, String reason) {
      return new Result(
          source,
          false,
          false,
          recordId,
          mappingIssues,
          canonicalRecord,
          gates,
          message,
          validation,
          new Outcome(state, reason));
    }
  }

  private JournalEntry standIn(MappingDefinition mapping, byte[] payload, String contentType) {
    OffsetDateTime now = OffsetDateTime.now(clock);
    return JournalEntry.received(
        "dry-run-" + UUID.randomUUID(),
        mapping.source(),
        null,
        Channel.REST,
        contentType,
        payload.length,
        now,
        null);
  }

  private JsonNode parse(String detail) {
    if (detail == null) {
      return null;
    }
    try {
      return json.readTree(detail);
    } catch (JsonProcessingException e) {
      return json.getNodeFactory().textNode(detail);
    }
  }
}
