package dk.sektorbro.gateway.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import dk.sektorbro.gateway.cluster.ClusterHeartbeat;
import dk.sektorbro.gateway.platform.web.ApiExceptionHandler;
import dk.sektorbro.gateway.platform.web.OperationOutcomes;
import dk.sektorbro.gateway.support.GatewayClient;
import dk.sektorbro.gateway.support.GatewayIntegrationTest;
import dk.sektorbro.gateway.support.SampleConsents;
import dk.sektorbro.gateway.support.TestFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.catalina.connector.ClientAbortException;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.MessageSource;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.context.request.async.AsyncRequestNotUsableException;

/**
 * What an operator installs and watches: Swagger UI, health visibility by role, a recipient's own
 * postbox folder, and no error noise for a caller that hung up.
 */
// Own properties (postbox of its own): no other class shares this application; closed after the
// class.
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
class OperatorInterfacesEndToEndTest extends GatewayIntegrationTest {

  private static final String P3_GLN = "5790009900030";
  private static Path vansPickUp;

  @Autowired OperationOutcomes outcomes;
  @Autowired CamelContext camel;
  @Autowired MessageSource messages;

  @DynamicPropertySource
  static void ownPostbox(DynamicPropertyRegistry registry) throws IOException {
    vansPickUp = Files.createTempDirectory("sektorbro-vans-pickup-");
    registry.add("gateway.delivery.recipients." + P3_GLN + ".postbox", vansPickUp::toString);
  }

  /**
   * One error policy (ErrorHandlingConfiguration) for every route; only the file consumers keep
   * Camel's own handling, which leaves a failed file where it is instead of deleting it as handled.
   */
  @Test
  void everyRouteButTheFileConsumers_runsUnderTheOneErrorPolicy() {
    List<String> outside =
        camel.getRoutes().stream()
            .filter(r -> !RouteIds.ERROR_CONFIGURATION.equals(r.getConfigurationId()))
            .map(Route::getRouteId)
            .toList();
    assertThat(outside)
        .allMatch(
            id -> id.startsWith(RouteIds.INTAKE_FILE_PREFIX) || id.equals("inbound-folder"),
            "a file consumer");
    assertThat(camel.getRoutes())
        .extracting(Route::getRouteId)
        .contains(RouteIds.RECOVERY, RouteIds.GATES, RouteIds.DELIVER, ClusterHeartbeat.ROUTE_ID);
  }

  @Test
  void swaggerUiAndTheOpenApiDescriptionAnswer() {
    GatewayClient.Response ui = operatorClient().get("/swagger-ui/index.html");
    assertThat(ui.status()).as(ui.body()).isEqualTo(200);
    assertThat(ui.body()).contains("swagger-ui");
    assertThat(operatorClient().get("/swagger-ui/swagger-initializer.js").status()).isEqualTo(200);
    assertThat(operatorClient().get("/swagger-ui/swagger-ui-bundle.js").status()).isEqualTo(200);
    assertThat(operatorClient().get("/v3/api-docs").json().get("paths").has("/api/v1/messages"))
        .isTrue();
    assertThat(client(null, null).get("/swagger-ui/index.html").status()).isEqualTo(401);
  }

  @Test
  void anonymousCallersGetTheStatusOnly_operatorsTheDetails() {
    JsonNode anonymous = client(null, null).get("/actuator/health").json();
    assertThat(anonymous.get("status").asText()).isEqualTo("UP");
    assertThat(anonymous.has("components")).isFalse();
    assertThat(anonymous.has("details")).isFalse();

    JsonNode intake = intakeClient().get("/actuator/health").json();
    assertThat(intake.has("components")).as("intake is not an operator").isFalse();

    JsonNode operator = operatorClient().get("/actuator/health").json();
    assertThat(operator.get("components").fieldNames())
        .toIterable()
        .contains("db", "conformance", "diskSpace", "delivery");
    assertThat(operator.get("components").get("conformance").has("details")).isTrue();
    JsonNode admin = adminClient().get("/actuator/health").json();
    assertThat(admin.has("components")).isTrue();
  }

  /**
   * The probes an orchestrator asks, anonymously: readiness includes the database, the journal and
   * the folders (a gateway that cannot journal must get no traffic), liveness does not (restarting
   * it does not bring a database back). DatabaseOutageTest sees both while the database is away.
   */
  @Test
  void readinessAndLivenessProbesAnswerAnonymously() {
    GatewayClient.Response readiness = client(null, null).get("/actuator/health/readiness");
    assertThat(readiness.status()).as(readiness.body()).isEqualTo(200);
    assertThat(readiness.json().get("status").asText()).isEqualTo("UP");
    GatewayClient.Response liveness = client(null, null).get("/actuator/health/liveness");
    assertThat(liveness.status()).as(liveness.body()).isEqualTo(200);
    JsonNode detailed = operatorClient().get("/actuator/health/readiness").json();
    assertThat(detailed.get("components").fieldNames())
        .toIterable()
        .containsExactlyInAnyOrder("readinessState", "db", "journal", "folders");
  }

  @Test
  void aRecipientWithItsOwnPostboxFolderGetsItsMessagesThere() {
    SampleConsents.recordAll(adminClient());
    Path sample =
        TestFiles.TEST_MESSAGES.resolve("nordby-socialpsykiatri/status-efter-udskrivelse.json");
    drop("nordby-socialpsykiatri", "note.json", TestFiles.read(sample));

    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () ->
                assertThat(
                        operatorClient()
                            .get("/api/v1/messages?state=SENT")
                            .json()
                            .get("total")
                            .asInt())
                    .isEqualTo(1));
    String id =
        operatorClient()
            .get("/api/v1/messages?state=SENT")
            .json()
            .get("items")
            .get(0)
            .get("id")
            .asText();
    JsonNode entry = journalEntry(id);
    assertThat(entry.get("recipient").get("gln").asText()).isEqualTo(P3_GLN);
    assertThat(vansPickUp.resolve(entry.get("messageHeaderId").asText() + ".xml")).isRegularFile();
    assertThat(outbox(P3_GLN)).doesNotExist();
  }

  @Test
  void aCallerThatHungUpIsNotAnError() {
    Logger logger = (Logger) LoggerFactory.getLogger(ApiExceptionHandler.class);
    ListAppender<ILoggingEvent> events = new ListAppender<>();
    events.start();
    logger.addAppender(events);
    try {
      ApiExceptionHandler handler = new ApiExceptionHandler(outcomes, messages);
      assertThat(
              handler.unexpected(
                  new AsyncRequestNotUsableException("ServletOutputStream failed to flush")))
          .isNull();
      assertThat(handler.unexpected(new ClientAbortException("Broken pipe"))).isNull();
      assertThat(events.list).noneMatch(e -> e.getLevel() == Level.ERROR);
      assertThat(handler.unexpected(new IllegalStateException("x")).getStatusCode().value())
          .isEqualTo(500);
      assertThat(events.list)
          .anyMatch(
              e ->
                  e.getLevel() == Level.ERROR
                      && e.getFormattedMessage()
                          .equals("request failed cause=IllegalStateException"));
    } finally {
      logger.detachAppender(events);
    }
  }
}
