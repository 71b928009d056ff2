package dk.sektorbro.gateway.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dk.sektorbro.gateway.consent.ConsentGuard;
import dk.sektorbro.gateway.support.GatewayIntegrationTest;
import dk.sektorbro.gateway.support.TestFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * A message leaves only after what explains it is committed: when the recipient's endpoint has the
 * POST in hand, the journal (read on a connection of its own, which sees committed rows only)
 * already holds the fixed outbound row of exactly that Bundle and the consent recheck's decision.
 * Which of these commits wait for the disk is ForcedCommitsTest's; this is their order against the
 * send.
 */
// Own properties (HTTP delivery to an endpoint of its own); closed after the class.
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
class CommittedBeforeSendTest extends GatewayIntegrationTest {

  /** What the journal held, committed, when a POST arrived. */
  record Seen(String bundleId, long outboundRows, long consentDecisions) {}

  private static final List<Seen> SEEN = new CopyOnWriteArrayList<>();
  private static volatile DataSource journalDatabase;
  private static final HttpServer ENDPOINT = endpoint();

  @Autowired DataSource dataSource;

  @DynamicPropertySource
  static void delivery(DynamicPropertyRegistry registry) {
    registry.add("gateway.delivery.default-route.transport", () -> "HTTP");
    registry.add(
        "gateway.delivery.default-route.url",
        () -> "http://127.0.0.1:" + ENDPOINT.getAddress().getPort() + "/fhir/$process-message");
  }

  @AfterAll
  static void stop() {
    ENDPOINT.stop(0);
  }

  @Test
  void whenTheMessageArrives_itsFixedBytesAndTheConsentDecisionAreCommitted() {
    journalDatabase = dataSource;
    sampleConsentsOnce();
    String id =
        submitJson(
            "nordby-socialpsykiatri", TestFiles.medicationQuestion(freshRecordId("SP-ORDER")));
    awaitState(id, "SENT");
    String bundle =
        JdbcClient.create(dataSource)
            .sql("SELECT bundle_id FROM journal_entry WHERE id = :id")
            .param("id", id)
            .query(String.class)
            .single();

    List<Seen> arrived = SEEN.stream().filter(s -> s.bundleId().equals(bundle)).toList();
    assertThat(arrived).hasSize(1);
    assertThat(arrived.get(0).outboundRows()).as("the fixed bytes of this Bundle").isEqualTo(1);
    assertThat(arrived.get(0).consentDecisions()).as("the recheck's decision").isEqualTo(1);
  }

  private static HttpServer endpoint() {
    try {
      HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
      server.createContext("/fhir/$process-message", CommittedBeforeSendTest::handle);
      server.setExecutor(Executors.newFixedThreadPool(2));
      server.start();
      return server;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void handle(HttpExchange exchange) throws IOException {
    String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    String bundle = Acks.ids(body)[1];
    JdbcClient journal = JdbcClient.create(journalDatabase);
    Map<String, Object> seen =
        journal
            .sql(
                """
                SELECT (SELECT COUNT(*) FROM outbound_message WHERE bundle_id = :bundle) AS rows,
                       (SELECT COUNT(*) FROM journal_event e JOIN journal_entry j ON j.id = e.entry_id
                        WHERE j.bundle_id = :bundle AND e.stage = :guard) AS decisions""")
            .param("bundle", bundle)
            .param("guard", ConsentGuard.NAME)
            .query()
            .singleRow();
    SEEN.add(
        new Seen(
            bundle,
            ((Number) seen.get("rows")).longValue(),
            ((Number) seen.get("decisions")).longValue()));
    exchange.sendResponseHeaders(202, -1);
    exchange.close();
  }
}
