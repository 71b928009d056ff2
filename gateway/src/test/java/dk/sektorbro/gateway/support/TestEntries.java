package dk.sektorbro.gateway.support;

import dk.sektorbro.gateway.journal.Channel;
import dk.sektorbro.gateway.journal.Journal;
import dk.sektorbro.gateway.journal.JournalRepository;
import dk.sektorbro.gateway.journal.MessageState;
import dk.sektorbro.gateway.journal.NewEntry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import javax.sql.DataSource;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The journal and its entries for repository tests: the journal as the application wires it, and
 * what a record needs to be RECEIVED, nothing more.
 */
public final class TestEntries {

  private TestEntries() {}

  /** A journal over {@code database}, its transactions on the same database, the system clock. */
  public static Journal journal(DataSource database) {
    return new Journal(
        new JournalRepository(JdbcClient.create(database)),
        new TransactionTemplate(new DataSourceTransactionManager(database)),
        Clock.systemUTC(),
        new SimpleMeterRegistry());
  }

  /** Journals a minimal REST record as RECEIVED and returns its id. */
  public static String register(Journal journal, String recordId) {
    return journal.register(entry(recordId), MessageState.RECEIVED, null, null).id();
  }

  /** A minimal REST record, as received. */
  public static NewEntry entry(String recordId) {
    return new NewEntry(
        "src",
        recordId,
        "hash-" + recordId,
        Channel.REST,
        null,
        "application/json",
        "{}".getBytes(StandardCharsets.UTF_8),
        2,
        null,
        "{}");
  }
}
