package dk.sektorbro.gateway.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dk.sektorbro.gateway.support.MigratedPostgres;
import dk.sektorbro.gateway.support.TestEntries;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * An item journaled together with what it needs (a care plan's document) is counted once it is
 * committed: a registration rolled back with its caller (a plan version that lost the race to
 * another and is prepared again) was counted in {@code gateway.intake.received} and {@code
 * gateway.messages{RECEIVED}} although no entry of it exists, so the dashboard showed one item more
 * than the journal held.
 */
class RegistrationCountTest {

  private static DataSource database;

  @BeforeAll
  static void start() {
    database = MigratedPostgres.start().getPostgresDatabase();
  }

  @Test
  void aRegistrationRolledBackWithItsCaller_isNotCounted_aCommittedOneOnce() {
    SimpleMeterRegistry meters = new SimpleMeterRegistry();
    Journal journal =
        new Journal(
            new JournalRepository(JdbcClient.create(database)),
            new TransactionTemplate(new DataSourceTransactionManager(database)),
            Clock.systemUTC(),
            meters);

    assertThatThrownBy(
            () ->
                journal.registerWith(
                    TestEntries.entry("rec-rolled-back"),
                    entryId -> {
                      throw new IllegalStateException("another version was stored meanwhile");
                    }))
        .isInstanceOf(IllegalStateException.class);
    assertThat(received(meters)).isZero();
    assertThat(counted(meters, MessageState.RECEIVED)).isZero();

    journal.registerWith(TestEntries.entry("rec-committed"), entryId -> {});
    assertThat(received(meters)).isEqualTo(1.0);
    assertThat(counted(meters, MessageState.RECEIVED)).isEqualTo(1.0);

    // Outside a caller's transaction, as every other item is journaled: counted at once.
    String alone = TestEntries.register(journal, "rec-alone");
    assertThat(received(meters)).isEqualTo(2.0);

    // A move in a caller's transaction that rolls back (an administrator's action failing after
    // it) is not counted; the same move committed is, once.
    TransactionTemplate tx = new TransactionTemplate(new DataSourceTransactionManager(database));
    assertThatThrownBy(
            () ->
                tx.executeWithoutResult(
                    status -> {
                      journal.transition(
                          alone,
                          List.of(MessageState.RECEIVED),
                          MessageState.FAILED,
                          "admin",
                          "discarded",
                          null);
                      throw new IllegalStateException("the action's next step failed");
                    }))
        .isInstanceOf(IllegalStateException.class);
    assertThat(counted(meters, MessageState.FAILED)).isZero();
    tx.executeWithoutResult(
        status ->
            journal.transition(
                alone,
                List.of(MessageState.RECEIVED),
                MessageState.FAILED,
                "admin",
                "discarded",
                null));
    assertThat(counted(meters, MessageState.FAILED)).isEqualTo(1.0);
  }

  private static double received(SimpleMeterRegistry meters) {
    return meters.find("gateway.intake.received").counters().stream()
        .mapToDouble(c -> c.count())
        .sum();
  }

  private static double counted(SimpleMeterRegistry meters, MessageState state) {
    var counter = meters.find("gateway.messages").tag("state", state.name()).counter();
    return counter == null ? 0 : counter.count();
  }
}
