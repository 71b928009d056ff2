package dk.sektorbro.gateway.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dk.sektorbro.gateway.journal.CanonicalRecords;
import dk.sektorbro.gateway.journal.Journal;
import dk.sektorbro.gateway.journal.JournalEntry;
import dk.sektorbro.gateway.journal.JournalEvent;
import dk.sektorbro.gateway.journal.MessageState;
import dk.sektorbro.gateway.medcom.CareCommunicationBuilder;
import dk.sektorbro.gateway.medcom.FhirMessageCodec;
import dk.sektorbro.gateway.platform.GatewayProperties;
import dk.sektorbro.gateway.platform.RouteIds;
import dk.sektorbro.gateway.record.CanonicalRecord;
import dk.sektorbro.gateway.support.GatewayClient;
import dk.sektorbro.gateway.support.GatewayIntegrationTest;
import dk.sektorbro.gateway.support.TestFiles;
import dk.sektorbro.gateway.threads.ThreadJournal;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.camel.CamelContext;
import org.apache.camel.component.seda.SedaEndpoint;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * A translation is of the canonical record it read. A translation that was slow or stalled (a GC
 * pause, a node stopped while another took the entry over) must not store its message when,
 * meanwhile, an administrator's edit changed the record (edit is allowed in RECEIVED): the edit
 * would be lost, and the message as it was before the edit delivered.
 */
class StaleTranslationTest extends GatewayIntegrationTest {

  private static final String SOURCE = "nordby-socialpsykiatri";
  private static final String EDITED = "Rettet tekst fra administrator, efter rettelsen";

  @Autowired Journal journal;
  @Autowired ObjectMapper json;
  @Autowired CareCommunicationBuilder builder;
  @Autowired FhirMessageCodec codec;
  @Autowired GatewayProperties gatewayProperties;
  @Autowired MeterRegistry meters;
  @Autowired ThreadJournal threads;
  @Autowired Clock clock;
  @Autowired CamelContext camel;
  @Autowired PipelineDispatcher dispatcher;

  @Test
  void aTranslationOfTheRecordBeforeAnEdit_doesNotStoreItsMessage() throws Exception {
    sampleConsentsOnce();
    camel.getRouteController().stopRoute(RouteIds.TRANSLATE);
    String id;
    try {
      id = submitJson(SOURCE, TestFiles.medicationQuestion(freshRecordId("SP-STALE-TRANSLATE")));
      awaitGatesPassed(id, 1);

      // A translation of the record begins and is held after reading the entry.
      CountDownLatch reading = new CountDownLatch(1);
      CountDownLatch resume = new CountDownLatch(1);
      CanonicalRecords slow =
          new CanonicalRecords(json) {
            @Override
            public CanonicalRecord read(JournalEntry entry) throws JsonProcessingException {
              reading.countDown();
              await(resume);
              return super.read(entry);
            }
          };
      TranslationStage stale =
          new TranslationStage(
              journal, slow, builder, codec, gatewayProperties, meters, threads, clock);
      CompletableFuture<Boolean> translated =
          CompletableFuture.supplyAsync(() -> stale.translate(id));
      assertThat(reading.await(60, TimeUnit.SECONDS)).isTrue();

      // Meanwhile an administrator edits the text; the gates pass the edited record.
      GatewayClient.Response edit =
          adminClient()
              .post(
                  "/api/v1/messages/" + id + "/edit",
                  "application/json",
                  ("{\"changes\": {\"text\": \"" + EDITED + "\"}, \"comment\": \"forkert tekst\"}")
                      .getBytes(StandardCharsets.UTF_8));
      assertThat(edit.status()).as(edit.body()).isEqualTo(200);
      awaitGatesPassed(id, 2);

      resume.countDown();
      boolean stored = translated.get(60, TimeUnit.SECONDS);

      JournalEntry after = journal.find(id).orElseThrow();
      assertThat(after.state())
          .as("translated from the record before the edit: %s", after.fhirMessage())
          .isEqualTo(MessageState.RECEIVED);
      assertThat(stored).isFalse();
    } finally {
      camel.getRouteController().startRoute(RouteIds.TRANSLATE);
    }
    // The edited record's own translation, then its delivery.
    dispatcher.resume(id, MessageState.RECEIVED);
    awaitState(id, "SENT");
    assertThat(journal.find(id).orElseThrow().fhirMessage()).contains(EDITED);
  }

  /** Waits until the gates passed the entry {@code runs} times, and takes it out of the queue. */
  private void awaitGatesPassed(String id, int runs) {
    org.awaitility.Awaitility.await()
        .atMost(java.time.Duration.ofSeconds(60))
        .until(
            () ->
                journal.history(id).stream()
                        .filter(e -> e.stage().equals("consent"))
                        .map(JournalEvent::state)
                        .filter(s -> s == MessageState.RECEIVED)
                        .count()
                    >= runs);
    camel
        .getEndpoint(dispatcher.queueUri(RouteIds.TRANSLATE), SedaEndpoint.class)
        .getQueue()
        .removeIf(exchange -> id.equals(exchange.getIn().getBody(String.class)));
  }

  private static void await(CountDownLatch latch) {
    try {
      if (!latch.await(120, TimeUnit.SECONDS)) {
        throw new IllegalStateException("never resumed");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
