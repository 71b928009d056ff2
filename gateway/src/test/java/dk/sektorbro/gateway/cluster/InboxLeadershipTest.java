package dk.sektorbro.gateway.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dk.sektorbro.gateway.support.TestDatabase;
import java.sql.Connection;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The inbox leadership on a real PostgreSQL: one holder per database, taken over when its session
 * dies.
 */
class InboxLeadershipTest {

  @Test
  void oneLeaderPerDatabase_andTheNextTakesOverWhenTheLeadersSessionDies() throws Exception {
    PGSimpleDataSource database = dataSource(TestDatabase.newDatabaseUrl());
    InboxLeadership first = new InboxLeadership(database);
    InboxLeadership second = new InboxLeadership(database);
    InboxLeadership elsewhere = new InboxLeadership(dataSource(TestDatabase.newDatabaseUrl()));

    assertThat(first.check()).isTrue();
    assertThat(second.check()).as("a second node on the same database").isFalse();
    assertThat(elsewhere.check()).as("a node on another database").isTrue();

    // The leader's process dies: PostgreSQL ends its session (here: terminated from outside, and
    // waited for: without a timeout pg_terminate_backend only signals the backend, and the next
    // node could look before the session and its lock are gone; seen once in the fast tier).
    try (Connection admin = database.getConnection();
        Statement sql = admin.createStatement()) {
      sql.execute(
          "SELECT pg_terminate_backend(pid, 10000) FROM pg_locks WHERE locktype = 'advisory'"
              + " AND objid = "
              + (int) InboxLeadership.LOCK_KEY
              + " AND database = (SELECT oid FROM pg_database"
              + " WHERE datname = current_database())");
    }
    assertThat(second.check()).as("the next node takes over").isTrue();
    assertThat(first.check()).as("the old leader sees its session gone and gives up").isFalse();
    assertThat(first.isLeader()).isFalse();

    second.destroy();
    assertThat(first.check()).as("a clean stop frees the leadership at once").isTrue();
    first.destroy();
    elsewhere.destroy();
  }

  private static PGSimpleDataSource dataSource(String url) {
    PGSimpleDataSource source = new PGSimpleDataSource();
    source.setUrl(url);
    source.setUser("postgres");
    return source;
  }
}
