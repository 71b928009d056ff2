package dk.sektorbro.gateway.careplan;

import com.github.kagkarlsson.scheduler.SchedulerClient;
import com.github.kagkarlsson.scheduler.task.CompletionHandler;
import com.github.kagkarlsson.scheduler.task.FailureHandler;
import com.github.kagkarlsson.scheduler.task.TaskInstance;
import com.github.kagkarlsson.scheduler.task.helper.CustomTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import dk.sektorbro.gateway.careplan.DocumentDeliveryRepository.Row;
import dk.sektorbro.gateway.careplan.DocumentDeliveryRepository.State;
import dk.sektorbro.gateway.delivery.DeliveryFollowUp;
import dk.sektorbro.gateway.delivery.DeliveryWork;
import dk.sektorbro.gateway.delivery.TransportErrors;
import dk.sektorbro.gateway.delivery.Transports;
import dk.sektorbro.gateway.delivery.settings.DeliveryProperties;
import dk.sektorbro.gateway.delivery.settings.DeliveryProperties.EnvelopeKind;
import dk.sektorbro.gateway.delivery.settings.DeliveryProperties.RecipientRoute;
import dk.sektorbro.gateway.delivery.settings.DeliveryProperties.TransportKind;
import dk.sektorbro.gateway.delivery.transport.OutboundMessage;
import dk.sektorbro.gateway.gate.DeliveryGuard;
import dk.sektorbro.gateway.gate.GateDecision;
import dk.sektorbro.gateway.journal.Journal;
import dk.sektorbro.gateway.journal.JournalEntry;
import dk.sektorbro.gateway.journal.MessageState;
import dk.sektorbro.gateway.platform.ExecutionFence;
import dk.sektorbro.gateway.platform.JournalMdc;
import dk.sektorbro.gateway.platform.PermanentFailure;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Care-plan document Bundles to recipients whose route has a {@code documents-url}: the {@code
 * document-delivery} kind of work of the work engine (one execution per document, claimed by one
 * node). A document is queued when the CareCommunication carrying the same plan version becomes
 * SENT (same transaction), so only after that record passed the consent gate, addressing and the
 * delivery guards; each POST rechecks the guards again. Transient failures are retried with the
 * delivery back-off; the document_delivery row keeps the outcome for the API, and every attempt
 * goes into the plan entry's history.
 */
@Configuration
public class DocumentDeliveries implements DeliveryFollowUp {

  static final String STAGE = "document-delivery";
  public static final String TASK = "document-delivery";
  private static final Logger log = LoggerFactory.getLogger(DocumentDeliveries.class);

  /** The carrying message left and was not withdrawn: states in which its document may still go. */
  private static final Set<MessageState> CARRIER_DELIVERED =
      Set.of(MessageState.SENT, MessageState.ACKNOWLEDGED);

  private final DocumentRepository documents;
  private final DocumentDeliveryRepository deliveries;
  private final Journal journal;
  private final List<DeliveryGuard> guards;
  private final DeliveryProperties properties;
  private final Transports transports;
  private final MeterRegistry meters;
  private final Clock clock;
  private final TransactionTemplate tx;
  private final ObjectProvider<SchedulerClient> engine;
  private final ReplacesForRecipient replaces;

  public DocumentDeliveries(
      DocumentRepository documents,
      DocumentDeliveryRepository deliveries,
      Journal journal,
      List<DeliveryGuard> guards,
      DeliveryProperties properties,
      Transports transports,
      MeterRegistry meters,
      Clock clock,
      TransactionTemplate tx,
      ObjectProvider<SchedulerClient> engine,
      ReplacesForRecipient replaces) {
    this.replaces = replaces;
    this.tx = tx;
    this.engine = engine;
    this.documents = documents;
    this.deliveries = deliveries;
    this.journal = journal;
    this.guards = guards;
    this.properties = properties;
    this.transports = transports;
    this.meters = meters;
    this.clock = clock;
  }

  /** Inside the SENT transaction of the carrying message: queue its document once, due now. */
  @Override
  public void sent(JournalEntry entry, RecipientRoute route) {
    if (route.documentsUrl() == null) {
      return;
    }
    documents
        .findByJournalId(entry.id())
        .ifPresent(
            document -> {
              if (deliveries.queue(document.id(), entry.id(), entry.recipientGln(), now())) {
                dueNow(document.id());
                journal.note(
                    entry.id(),
                    MessageState.SENT,
                    STAGE,
                    "care-plan document "
                        + document.id()
                        + " queued for the FHIR document endpoint of EAN/GLN "
                        + entry.recipientGln());
              }
            });
  }

  /**
   * An operator fixed the cause of a FAILED (or CANCELLED) document delivery: it is due again now,
   * and the guards and the carrying message's state are checked again before the POST. Empty when
   * the document is not queued for an endpoint or still on its way.
   */
  public Optional<Row> requeue(String documentId) {
    return deliveries
        .find(documentId)
        .filter(row -> row.state() == State.FAILED || row.state() == State.CANCELLED)
        .map(
            row -> {
              tx.executeWithoutResult(
                  status -> {
                    deliveries.update(
                        documentId,
                        State.PENDING,
                        now(),
                        row.attempts(),
                        row.lastError(),
                        null,
                        now());
                    dueNow(documentId);
                  });
              return row;
            });
  }

  @Bean
  CustomTask<Void> documentDeliveryTask() {
    return Tasks.custom(TASK, Void.class)
        .onFailure(
            new FailureHandler.ExponentialBackoffFailureHandler<>(Duration.ofSeconds(10), 2.0))
        .execute(
            (instance, context) ->
                run(instance.getId(), ExecutionFence.token(context.getExecution())));
  }

  /** In the caller's transaction: the document's execution, due now (kept when it exists). */
  private void dueNow(String documentId) {
    engine
        .getObject()
        .scheduleIfNotExists(new TaskInstance<Void>(TASK, documentId), clock.instant());
  }

  /**
   * One run of a document's execution: removed when finished, else rescheduled for the retry;
   * {@code version}: the execution's version as the engine's pick left it (0: not picked by the
   * engine), this run's fencing token.
   */
  private CompletionHandler<Void> run(String documentId, long version) {
    Row row = deliveries.find(documentId).filter(r -> r.state() == State.PENDING).orElse(null);
    if (row == null) {
      return new CompletionHandler.OnCompleteRemove<>();
    }
    Optional<OffsetDateTime> retryAt;
    try (MDC.MDCCloseable ignored = JournalMdc.put(row.journalId())) {
      retryAt = attempt(row, version);
    } catch (TakenOver e) {
      // The engine revived the execution on another node while this one was stalled: it is that
      // node's now (its version moved on, so this run's completion would fail on it).
      return (complete, operations) -> {};
    }
    if (retryAt.isEmpty()) {
      return new CompletionHandler.OnCompleteRemove<>();
    }
    return (complete, operations) -> operations.reschedule(complete, retryAt.get().toInstant());
  }

  /** Another node holds the document's execution now: this run must post nothing. */
  private static final class TakenOver extends RuntimeException {
    TakenOver() {
      super("document delivery taken over by another node", null, false, false);
    }
  }

  /** Empty when the document's delivery is finished; else when to try again. */
  private Optional<OffsetDateTime> attempt(Row row, long version) {
    JournalEntry entry = journal.find(row.journalId()).orElse(null);
    if (entry == null || !CARRIER_DELIVERED.contains(entry.state())) {
      cancel(row, entry, "the carrying message is " + (entry == null ? "gone" : entry.state()));
      return Optional.empty();
    }
    URI url = properties.routeFor(row.recipientGln()).documentsUrl();
    if (url == null) {
      cancel(row, entry, "EAN/GLN " + row.recipientGln() + " no longer has a documents-url");
      return Optional.empty();
    }
    int attempt = row.attempts() + 1;
    try {
      for (DeliveryGuard guard : guards) {
        GateDecision decision = guard.recheck(entry);
        if (decision.kind() != GateDecision.Kind.PASS) {
          cancel(row, entry, guard.name() + ": " + decision.reason());
          return Optional.empty();
        }
        Journal.Note passed = guard.passNote(entry, decision);
        if (passed != null) {
          journal.note(
              entry.id(), passed.state(), passed.stage(), passed.reason(), passed.detail());
        }
      }
      // The last look before the POST: a node that stalled after its pick (a long GC pause, a
      // suspended VM) while another node revived the execution and posted must not post again.
      if (version > 0 && !deliveries.executionHolds(row.documentId(), version)) {
        log.warn(
            "document delivery abandoned documentId={}: taken over by another node",
            row.documentId());
        journal.note(
            entry.id(),
            entry.state(),
            STAGE,
            "care-plan document "
                + row.documentId()
                + ": a stalled attempt of this node found its delivery taken over by another"
                + " node, and posted nothing");
        throw new TakenOver();
      }
      ReplacesForRecipient.ForRecipient document =
          replaces.document(row.documentId(), row.recipientGln());
      OutboundMessage message =
          new OutboundMessage(
              row.journalId(),
              row.recipientGln(),
              row.documentId(),
              document.bundleJson().getBytes(StandardCharsets.UTF_8),
              "application/fhir+json",
              "json");
      // The document endpoint as an HTTP route: the client (TLS trust, client certificate,
      // timeouts)
      // is the one every HTTP route of the gateway uses.
      RecipientRoute route =
          new RecipientRoute(TransportKind.HTTP, EnvelopeKind.NONE, url, false, null, null);
      String location = transports.of(TransportKind.HTTP).send(message, route).location();
      finish(
          row,
          entry,
          State.DELIVERED,
          attempt,
          null,
          location,
          "care-plan document "
              + row.documentId()
              + " posted to "
              + location
              + " for EAN/GLN "
              + row.recipientGln()
              + " (attempt "
              + attempt
              + ")"
              + (document.note() == null ? "" : "; " + document.note()));
      count("sent");
      return Optional.empty();
    } catch (IOException e) {
      String error = TransportErrors.describe(e);
      OffsetDateTime retryAt = now().plus(DeliveryWork.retryDelay(properties.retry(), attempt));
      String reason =
          "care-plan document "
              + row.documentId()
              + ": POST failed (attempt "
              + attempt
              + ": "
              + error
              + "), retry at "
              + retryAt
              + "; still queued";
      // Row and history change together, as for messages (DeliveryBookkeeping).
      tx.executeWithoutResult(
          status -> {
            deliveries.update(
                row.documentId(), State.PENDING, retryAt, attempt, error, null, now());
            journal.note(entry.id(), entry.state(), STAGE, reason, error);
          });
      count("transient");
      return Optional.of(retryAt);
    } catch (PermanentFailure e) {
      log.warn(
          "document delivery failed permanently documentId={} gln={}",
          row.documentId(),
          row.recipientGln());
      finish(
          row,
          entry,
          State.FAILED,
          attempt,
          e.getMessage(),
          null,
          "care-plan document "
              + row.documentId()
              + " NOT delivered (attempt "
              + attempt
              + "): "
              + e.getMessage());
      count("permanent");
      return Optional.empty();
    }
  }

  private void cancel(Row row, JournalEntry entry, String why) {
    log.info("document delivery cancelled documentId={}", row.documentId());
    finish(
        row,
        entry,
        State.CANCELLED,
        row.attempts(),
        why,
        null,
        "care-plan document " + row.documentId() + " not delivered: " + why);
  }

  private void finish(
      Row row,
      JournalEntry entry,
      State state,
      int attempts,
      String error,
      String location,
      String reason) {
    tx.executeWithoutResult(
        status -> {
          deliveries.update(row.documentId(), state, null, attempts, error, location, now());
          if (entry != null) {
            journal.note(entry.id(), entry.state(), STAGE, reason);
          }
        });
  }

  private void count(String outcome) {
    meters.counter("gateway.documents.deliveries", "outcome", outcome).increment();
  }

  private OffsetDateTime now() {
    return OffsetDateTime.now(clock);
  }
}
