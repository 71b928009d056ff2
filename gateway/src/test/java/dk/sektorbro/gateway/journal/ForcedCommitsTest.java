package dk.sektorbro.gateway.journal;

import static org.assertj.core.api.Assertions.assertThat;

import dk.sektorbro.gateway.delivery.FixedOutboundMessages;
import dk.sektorbro.gateway.delivery.settings.DeliveryProperties.EnvelopeKind;
import dk.sektorbro.gateway.delivery.settings.DeliveryProperties.RecipientRoute;
import dk.sektorbro.gateway.delivery.settings.DeliveryProperties.TransportKind;
import dk.sektorbro.gateway.delivery.transport.OutboundMessage;
import dk.sektorbro.gateway.support.MigratedPostgres;
import dk.sektorbro.gateway.support.TestEntries;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.DelegatingDataSource;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Which journal commits wait for the disk (docs/limits.md, "Commits that do not wait for the
 * disk"), on PostgreSQL with the gateway's {@code synchronous_commit = on}: every commit that
 * something outside the gateway relies on (a 202 or a deleted inbox file, the fixed outbound bytes
 * with the guards' decisions, SENT, a resend's renewed Bundle, an administrator's change, a note)
 * is forced; only the pipeline's internal steps (start counts, TRANSLATED, VALIDATED, a stage's
 * transaction) are relaxed. Each commit is watched on its connection: an explicit commit by the
 * setting in force just before it, a statement committing on its own by its text (the relaxing
 * condition rides in the statement). A change that relaxes a commit the gateway answers for fails
 * here.
 */
class ForcedCommitsTest {

  private static final RecipientRoute PLAIN =
      new RecipientRoute(TransportKind.POSTBOX, EnvelopeKind.NONE, null, false, null);

  private static DataSource database;
  private static final List<String> relaxed = new ArrayList<>();
  private static final List<String> forced = new ArrayList<>();
  private static Journal journal;
  private static TransactionTemplate tx;
  private static FixedOutboundMessages fixed;
  private static int next;

  @BeforeAll
  static void start() {
    DataSource migrated = MigratedPostgres.start().getPostgresDatabase();
    database =
        new DelegatingDataSource(migrated) {
          @Override
          public Connection getConnection() throws SQLException {
            return watched(super.getConnection());
          }
        };
    JdbcClient jdbc = JdbcClient.create(database);
    tx = new TransactionTemplate(new DataSourceTransactionManager(database));
    journal =
        new Journal(new JournalRepository(jdbc), tx, Clock.systemUTC(), new SimpleMeterRegistry());
    fixed = new FixedOutboundMessages(jdbc, Clock.systemUTC());
  }

  @BeforeEach
  void clear() {
    relaxed.clear();
    forced.clear();
  }

  @Test
  void whatTheGatewayAnswersFor_isCommittedToDisk() {
    // Intake: accepted (one statement), refused (a transaction), a duplicate (its note).
    String id = register("rec-forced", MessageState.RECEIVED);
    register("rec-refused", MessageState.FAILED);
    register("rec-forced", MessageState.RECEIVED);
    journal.registerWith(
        TestEntries.entry("rec-with-document"),
        entryId -> journal.note(entryId, MessageState.RECEIVED, "documents", "stored"));
    assertNothingRelaxed("intake");

    // The stages' own steps, watched apart (below): here only to get the entry to delivery.
    journal.translated(id, translation("bundle-1"), "translated");
    journal.advance(
        id, List.of(MessageState.TRANSLATED), MessageState.VALIDATED, "validate", "valid", null);
    clear();

    // Delivery: the guards' notes and the fixed bytes in the stage's transaction, then SENT; a
    // resend's renewal; an attempt that found its entry moved on.
    JournalEntry entry = journal.find(id).orElseThrow();
    tx.execute(
        s ->
            fixed.attempt(
                entry,
                PLAIN,
                text ->
                    new OutboundMessage(id, "gln", "header", text, "application/fhir+xml", "xml"),
                List.of(
                    new Journal.Note(MessageState.VALIDATED, "consent-recheck", "PERMIT", null))));
    assertThat(journal.sent(id, "bundle-1", "/outbox/" + id, "written")).isTrue();
    assertThat(
            journal.renewedBundle(
                id,
                MessageState.SENT,
                "bundle-1",
                "bundle-2",
                "<Bundle>renewed</Bundle>",
                "resend 1 of 2"))
        .isTrue();
    journal.noteInCurrentState(id, "deliver", "written by an attempt under way", null);
    assertThat(
            journal.restateCarrying(
                id, "bundle-2", MessageState.SENT, "deliver", "attempt 2", null))
        .isTrue();
    assertNothingRelaxed("delivery");

    // An administrator's action: a move and the record replaced, in one transaction; a failure.
    tx.executeWithoutResult(
        s -> {
          journal.transition(
              id,
              List.of(MessageState.SENT),
              MessageState.VALIDATED,
              "admin",
              "resend by admin",
              null);
          journal.replaceCanonical(
              id, "{}", MessageState.VALIDATED, "admin", "legal basis recorded", null);
        });
    journal.failUnfinished(id, "deliver", "permanent failure");
    assertNothingRelaxed("admin and failures");
  }

  @Test
  void thePipelinesInternalSteps_areRelaxed() {
    String id = register("rec-relaxed", MessageState.RECEIVED);
    clear();

    journal.countAttempt(id, "gates", List.of("translate", "validate", "deliver"));
    assertThat(relaxed).as("the start count").hasSize(1);
    journal.inStage(
        () -> {
          journal.notes(
              id,
              List.of(new Journal.Note(MessageState.RECEIVED, "consent", "PERMIT", null)),
              new Journal.Recipient("123456789012345", "5790000000000", "Modtager"));
          return true;
        });
    assertThat(relaxed).as("the gates' transaction").hasSize(2);
    journal.translated(id, translation("bundle-r"), "translated");
    assertThat(relaxed).as("TRANSLATED").hasSize(3);
    journal.advance(
        id, List.of(MessageState.TRANSLATED), MessageState.VALIDATED, "validate", "valid", null);
    assertThat(relaxed).as("VALIDATED").hasSize(4);
  }

  private static void assertNothingRelaxed(String what) {
    assertThat(forced).as("%s: commits watched", what).isNotEmpty();
    assertThat(relaxed).as("%s: commits not waiting for the disk", what).isEmpty();
    relaxed.clear();
    forced.clear();
  }

  private static String register(String recordId, MessageState state) {
    return journal
        .register(
            TestEntries.entry(recordId),
            state,
            state == MessageState.RECEIVED ? null : "refused",
            null)
        .id();
  }

  private static Translation translation(String bundleId) {
    return new Translation(
        "CareCommunication",
        "header-" + (++next),
        bundleId,
        "<Bundle>" + bundleId + "</Bundle>",
        "XML",
        "123456789012345",
        "5790000000000",
        "Modtager");
  }

  /**
   * The connection, its session set as the gateway's server is ({@code synchronous_commit = on};
   * the test server runs with zonky's off), and each commit on it recorded as forced or relaxed.
   */
  private static Connection watched(Connection connection) throws SQLException {
    try (Statement s = connection.createStatement()) {
      s.execute("SET synchronous_commit TO on");
    }
    return (Connection)
        Proxy.newProxyInstance(
            ForcedCommitsTest.class.getClassLoader(),
            new Class<?>[] {Connection.class},
            (proxy, method, args) -> {
              String name = method.getName();
              if (name.equals("commit")) {
                (setting(connection).equals("off") ? relaxed : forced).add("commit");
              } else if (name.startsWith("prepare")
                  && args != null
                  && args[0] instanceof String sql
                  && connection.getAutoCommit()
                  && isWrite(sql)) {
                (sql.contains("synchronous_commit") ? relaxed : forced).add(sql);
              }
              try {
                return method.invoke(connection, args);
              } catch (InvocationTargetException e) {
                throw e.getCause();
              }
            });
  }

  private static boolean isWrite(String sql) {
    String s = sql.stripLeading().toUpperCase(java.util.Locale.ROOT);
    return s.startsWith("INSERT") || s.startsWith("UPDATE") || s.startsWith("WITH");
  }

  private static String setting(Connection connection) throws SQLException {
    try (Statement s = connection.createStatement();
        ResultSet rs = s.executeQuery("SHOW synchronous_commit")) {
      rs.next();
      return rs.getString(1);
    }
  }
}
