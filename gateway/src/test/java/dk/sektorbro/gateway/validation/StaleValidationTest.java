package dk.sektorbro.gateway.validation;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dk.sektorbro.gateway.journal.Journal;
import dk.sektorbro.gateway.journal.JournalEvent;
import dk.sektorbro.gateway.journal.MessageState;
import dk.sektorbro.gateway.pipeline.PipelineDispatcher;
import dk.sektorbro.gateway.platform.RouteIds;
import dk.sektorbro.gateway.support.GatewayClient;
import dk.sektorbro.gateway.support.GatewayIntegrationTest;
import dk.sektorbro.gateway.support.TestFiles;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.camel.CamelContext;
import org.apache.camel.component.seda.SedaEndpoint;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * A validation verdict is about the message it validated. A validation that read message M1 and was
 * slow (a first validation of its kind, a loaded machine) or stalled (a GC pause, a node stopped
 * while another took the entry over) must not move the entry on when, meanwhile, an administrator's
 * edit made a new message M2 of it and M2 waits for its own validation: M2 would be delivered
 * without ever being validated.
 */
class StaleValidationTest extends GatewayIntegrationTest {

  private static final String SOURCE = "nordby-socialpsykiatri";

  @Autowired Journal journal;
  @Autowired MessageValidator validator;
  @Autowired ObjectMapper json;
  @Autowired MeterRegistry meters;
  @Autowired CamelContext camel;
  @Autowired PipelineDispatcher dispatcher;

  @Test
  void aVerdictOnTheMessageBeforeAnEdit_doesNotPassTheEditedMessageOn() throws Exception {
    sampleConsentsOnce();
    camel.getRouteController().stopRoute(RouteIds.VALIDATE);
    String id;
    try {
      id = submitJson(SOURCE, TestFiles.medicationQuestion(freshRecordId("SP-STALE-VALIDATE")));
      awaitState(id, "TRANSLATED");
      takeFromValidateQueue(id);
      String validatedBundle = journal.find(id).orElseThrow().bundleId();

      // A validation of M1 begins and is held inside the validator.
      CountDownLatch reading = new CountDownLatch(1);
      CountDownLatch resume = new CountDownLatch(1);
      MessageValidator slow =
          (type, message, format) -> {
            reading.countDown();
            await(resume);
            return validator.validate(type, message, format);
          };
      ValidationStage stale = new ValidationStage(journal, slow, json, meters);
      CompletableFuture<Boolean> verdict = CompletableFuture.supplyAsync(() -> stale.validate(id));
      assertThat(reading.await(60, TimeUnit.SECONDS)).isTrue();

      // Meanwhile an administrator edits the message: translated again (M2), awaiting validation.
      GatewayClient.Response edit =
          adminClient()
              .post(
                  "/api/v1/messages/" + id + "/edit",
                  "application/json",
                  """
                  {"changes": {"text": "Rettet tekst: hvilken dosis tager borgeren nu?"},
                   "comment": "teksten var forkert"}"""
                      .getBytes(StandardCharsets.UTF_8));
      assertThat(edit.status()).as(edit.body()).isEqualTo(200);
      awaitState(id, "TRANSLATED");
      takeFromValidateQueue(id);
      String editedBundle = journal.find(id).orElseThrow().bundleId();
      assertThat(editedBundle).isNotEqualTo(validatedBundle);

      resume.countDown();
      boolean passedOn = verdict.get(60, TimeUnit.SECONDS);

      assertThat(journal.find(id).orElseThrow().state())
          .as(
              "M2 (Bundle %s) moved on by the verdict on M1 (Bundle %s)",
              editedBundle, validatedBundle)
          .isEqualTo(MessageState.TRANSLATED);
      assertThat(passedOn).isFalse();
    } finally {
      camel.getRouteController().startRoute(RouteIds.VALIDATE);
    }
    // M2's own validation, then its delivery.
    dispatcher.resume(id, MessageState.TRANSLATED);
    awaitState(id, "SENT");
    List<JournalEvent> history = journal.history(id);
    assertThat(history)
        .filteredOn(e -> e.state() == MessageState.VALIDATED && e.stage().equals("validate"))
        .as("validations that moved the entry on")
        .hasSize(1);
  }

  private void takeFromValidateQueue(String id) {
    camel
        .getEndpoint(dispatcher.queueUri(RouteIds.VALIDATE), SedaEndpoint.class)
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
