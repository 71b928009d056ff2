package dk.sektorbro.gateway.pipeline;

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
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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

  /** Everything the pipeline would decide for this record now, as a JSON-ready map. */
  public Map<String, Object> run(MappingDefinition mapping, byte[] payload, String contentType) {
    Map<String, Object> result = new LinkedHashMap<>();
    result.put("source", mapping.source());
    result.put("journaled", false);
    result.put("sent", false);
    MappingOutcome outcome = mapper.map(mapping, payload);
    result.put("recordId", outcome.recordId());
    if (outcome instanceof MappingOutcome.Malformed malformed) {
      return finish(result, "FAILED", "mapping: " + malformed.reason());
    }
    if (outcome instanceof MappingOutcome.Invalid invalid) {
      result.put("mappingIssues", invalid.issues().stream().map(Object::toString).toList());
      return finish(result, "FAILED", "mapping: " + invalid.summary());
    }
    MappingOutcome.Mapped mapped = (MappingOutcome.Mapped) outcome;
    if (mapped.plan() != null) {
      return finish(
          result,
          "NOT_TRIED",
          "plan sources (care-plan documents) are not dry-run; only the mapping was tried");
    }
    CanonicalRecord record = mapped.record();
    result.put("canonicalRecord", json.valueToTree(record));

    String stoppedBy = null;
    String outcomeState = null;
    List<Map<String, Object>> decisions = new ArrayList<>();
    JournalEntry standIn = standIn(mapping, payload, contentType);
    for (OutboundGate gate : gates) {
      GateDecision decision = gate.check(standIn, record);
      Map<String, Object> d = new LinkedHashMap<>();
      d.put("gate", gate.name());
      d.put("decision", decision.kind().name());
      d.put(
          "state",
          decision.kind() == GateDecision.Kind.HOLD
              ? decision.holdState().name()
              : decision.kind() == GateDecision.Kind.FAIL ? MessageState.FAILED.name() : null);
      d.put("reason", decision.reason());
      d.put("detail", parse(decision.detail()));
      decisions.add(d);
      if (decision.changed() != null) {
        record = decision.changed();
        d.put("changedRecipient", json.valueToTree(record.recipient()));
      }
      if (decision.kind() != GateDecision.Kind.PASS && stoppedBy == null) {
        stoppedBy = gate.name() + ": " + decision.reason();
        outcomeState = String.valueOf(d.get("state"));
      }
    }
    result.put("gates", decisions);

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
      message = codec.encode(bundle, format);
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("type", TranslationStage.MESSAGE_TYPE);
      m.put("messageHeaderId", ids.messageHeaderId());
      m.put("format", format.name());
      m.put("content", message);
      result.put("message", m);
    } catch (RuntimeException e) {
      result.put("message", Map.of("error", String.valueOf(e.getMessage())));
      return finish(
          result,
          outcomeState != null ? outcomeState : "FAILED",
          stoppedBy != null ? stoppedBy : "translation: " + e.getMessage());
    }
    ValidationReport report =
        validator.validate(TranslationStage.MESSAGE_TYPE, message, format.name());
    Map<String, Object> v = new LinkedHashMap<>();
    v.put("chain", report.chain());
    v.put("valid", report.valid());
    v.put("issues", report.issues());
    result.put("validation", v);
    if (stoppedBy != null) {
      return finish(result, outcomeState, stoppedBy);
    }
    if (!report.valid()) {
      return finish(result, "FAILED", "validation: " + report.errors().size() + " error(s)");
    }
    return finish(result, "VALIDATED", "would be delivered to " + record.recipient().gln());
  }

  private JournalEntry standIn(MappingDefinition mapping, byte[] payload, String contentType) {
    OffsetDateTime now = OffsetDateTime.now(clock);
    return new JournalEntry(
        "dry-run-" + UUID.randomUUID(),
        mapping.source(),
        null,
        null,
        Channel.REST,
        null,
        contentType,
        payload.length,
        null,
        now,
        now,
        MessageState.RECEIVED,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
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

  private static Map<String, Object> finish(
      Map<String, Object> result, String state, String reason) {
    result.put("outcome", Map.of("state", state, "reason", reason));
    return result;
  }
}
