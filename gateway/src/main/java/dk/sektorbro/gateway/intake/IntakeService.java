package dk.sektorbro.gateway.intake;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dk.sektorbro.gateway.gate.StageDispatch;
import dk.sektorbro.gateway.intake.IntakeResult.Outcome;
import dk.sektorbro.gateway.intake.RecordPreparation.Prepared;
import dk.sektorbro.gateway.journal.Journal;
import dk.sektorbro.gateway.journal.Journal.Registration;
import dk.sektorbro.gateway.journal.MessageState;
import dk.sektorbro.gateway.journal.NewEntry;
import dk.sektorbro.gateway.mapping.MappingDefinition;
import dk.sektorbro.gateway.mapping.MappingIssue;
import dk.sektorbro.gateway.mapping.MappingOutcome;
import dk.sektorbro.gateway.mapping.MappingRegistry;
import dk.sektorbro.gateway.mapping.RecordMapper;
import dk.sektorbro.gateway.platform.Sha256;
import dk.sektorbro.gateway.platform.StageTimers;
import dk.sektorbro.gateway.record.CanonicalRecord;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.MessageSource;
import org.springframework.stereotype.Service;

/**
 * The one door into the gateway for file drop and REST alike: map the record, journal it with its
 * original bytes (whatever its fate), and hand accepted records to the pipeline. Nothing is
 * dispatched before its journal entry is committed.
 */
@Service
public class IntakeService {

  private static final Logger log = LoggerFactory.getLogger(IntakeService.class);

  private final MappingRegistry mappings;
  private final RecordMapper mapper;
  private final Journal journal;
  private final StageDispatch dispatcher;
  private final ObjectMapper json;
  private final RecordPreparation plans;
  private final Timer timer;
  private final MessageSource messages;
  private final RecordHash recordHash;

  public IntakeService(
      MappingRegistry mappings,
      RecordMapper mapper,
      Journal journal,
      StageDispatch dispatcher,
      ObjectMapper json,
      RecordPreparation plans,
      MeterRegistry meters,
      MessageSource messages) {
    this.plans = plans;
    this.messages = messages;
    this.mappings = mappings;
    this.mapper = mapper;
    this.journal = journal;
    this.dispatcher = dispatcher;
    this.json = json;
    this.recordHash = new RecordHash(json);
    this.timer = StageTimers.timer(meters, "intake", "Time to map and journal one received item");
  }

  public IntakeResult receive(IntakeRequest request) {
    return timer.record(() -> doReceive(request));
  }

  private IntakeResult doReceive(IntakeRequest request) {
    Optional<MappingDefinition> mapping = mappings.find(request.source());
    if (mapping.isEmpty()) {
      return refuse(
          request, null, Outcome.UNKNOWN_SOURCE, text("intake.unknown-source"), List.of());
    }
    MappingOutcome outcome = mapper.map(mapping.get(), request.payload());
    if (outcome instanceof MappingOutcome.Mapped mapped && mapped.plan() != null) {
      return acceptPlan(request, mapped);
    }
    if (outcome instanceof MappingOutcome.Mapped mapped) {
      return accept(request, mapped.recordId(), mapped.record(), recordHash.of(mapped), null);
    }
    if (outcome instanceof MappingOutcome.Malformed malformed) {
      return refuse(request, null, Outcome.MALFORMED, malformed.reason(), List.of());
    }
    MappingOutcome.Invalid invalid = (MappingOutcome.Invalid) outcome;
    return refuse(
        request,
        invalid.recordId(),
        Outcome.INVALID,
        invalid.recordId() == null
            ? text("intake.invalid.without-id", request.source(), invalid.summary())
            : text("intake.invalid", invalid.recordId(), request.source(), invalid.summary()),
        invalid.issues());
  }

  /**
   * Journals an item refused before mapping (wrong media type, too large, not journaled as
   * received) with its reason: {@code key} in the message bundle, filled with {@code arguments}.
   * The result carries the same text, for the caller's answer.
   */
  public IntakeResult refuse(
      IntakeRequest request, Outcome outcome, String key, Object... arguments) {
    return journalRefusal(request, outcome, text(key, arguments));
  }

  /** Journals an item refused before mapping with its reason, the text already resolved. */
  IntakeResult journalRefusal(IntakeRequest request, Outcome outcome, String reason) {
    return refuse(request, null, outcome, reason, List.of());
  }

  // A care plan: its document and PDF are made first, the PDF travels as the record's attachment,
  // and the document is stored under the new journal id before the pipeline starts
  // (docs/careplans.md).
  private IntakeResult acceptPlan(IntakeRequest request, MappingOutcome.Mapped mapped) {
    String hash = recordHash.of(mapped);
    for (int attempt = 1; ; attempt++) {
      Prepared preparation = plans.prepare(request.source(), mapped, request.contentHash(), hash);
      if (preparation instanceof Prepared.Refused refused) {
        return refusePlan(request, mapped, refused.issues());
      }
      if (!(preparation instanceof Prepared.Ready ready)) {
        return accept(request, mapped.recordId(), mapped.record(), hash, null);
      }
      try {
        return accept(request, mapped.recordId(), ready.record(), hash, ready.afterJournaling());
      } catch (RecordPreparation.Outdated e) {
        // Another version of the plan came first: prepared again, this one is checked against it
        // (replaces it, or is refused as superseded or existing), as if sent after it.
        if (attempt == PLAN_ATTEMPTS) {
          return refusePlan(request, mapped, List.of(busy()));
        }
      }
    }
  }

  /** Versions of one plan arriving together are each prepared at most this often. */
  private static final int PLAN_ATTEMPTS = 5;

  private static MappingIssue busy() {
    return new MappingIssue(
        "plan.version",
        null,
        "plan-versions-concurrent",
        "other versions of this plan were stored while this one was prepared; send it again");
  }

  private IntakeResult refusePlan(
      IntakeRequest request, MappingOutcome.Mapped mapped, List<MappingIssue> issues) {
    return refuse(
        request,
        mapped.recordId(),
        Outcome.INVALID,
        text(
            "intake.plan-invalid",
            mapped.recordId(),
            request.source(),
            new MappingOutcome.Invalid(mapped.recordId(), issues).summary()),
        issues);
  }

  private IntakeResult accept(
      IntakeRequest request,
      String recordId,
      CanonicalRecord record,
      String recordHash,
      Consumer<String> beforeDispatch) {
    NewEntry entry = entry(request, recordId, toJson(record), record.citizen().cpr(), recordHash);
    // What the entry needs before the pipeline starts (a care plan's document) commits with it.
    Registration registration = journal.registerWith(entry, beforeDispatch);
    if (!registration.duplicate()) {
      dispatcher.resume(registration.id(), MessageState.RECEIVED);
    }
    return new IntakeResult(
        registration.id(),
        registration.state(),
        registration.duplicate(),
        Outcome.ACCEPTED,
        null,
        List.of());
  }

  private IntakeResult refuse(
      IntakeRequest request,
      String recordId,
      Outcome outcome,
      String reason,
      List<MappingIssue> issues) {
    NewEntry entry = entry(request, recordId, null, null, null);
    String detail = issues.isEmpty() ? null : toJson(issues);
    Registration registration = journal.register(entry, MessageState.FAILED, reason, detail);
    log.info(
        "refused id={} source={} channel={} outcome={}",
        registration.id(),
        mappings.shown(request.source()),
        request.channel(),
        outcome);
    return new IntakeResult(
        registration.id(), registration.state(), registration.duplicate(), outcome, reason, issues);
  }

  private static NewEntry entry(
      IntakeRequest request, String recordId, String canonicalJson, String cpr, String recordHash) {
    return new NewEntry(
        request.source(),
        recordId,
        request.contentHash(),
        request.channel(),
        request.originalName(),
        request.contentType(),
        request.payload(),
        request.size(),
        request.archivePath(),
        canonicalJson,
        cpr,
        recordHash);
  }

  /**
   * A refusal's reason, for the journal entry and the REST answer alike: {@code key} in the message
   * bundle. Numbers are passed as text, so they are never grouped.
   */
  private String text(String key, Object... arguments) {
    return messages.getMessage(key, arguments, Locale.ROOT);
  }

  private String toJson(Object value) {
    try {
      return json.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("canonical record cannot be serialised", e);
    }
  }

  static String sha256(byte[] bytes) {
    return Sha256.hex(bytes);
  }
}
