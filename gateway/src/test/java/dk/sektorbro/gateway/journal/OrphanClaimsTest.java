package dk.sektorbro.gateway.journal;

import static org.assertj.core.api.Assertions.assertThat;

import dk.sektorbro.gateway.platform.NodeIdentity;
import dk.sektorbro.gateway.support.MigratedPostgres;
import dk.sektorbro.gateway.support.TestEntries;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Two nodes on one PostgreSQL take over a dead node's unfinished entries at the same moment
 * (RecoveryService's sweep): each entry is taken by exactly one of them, whatever they overlap in,
 * and an entry of a node still alive is never taken. Each node then queues only what it took, so no
 * entry is worked on twice by recovery.
 */
class OrphanClaimsTest {

  private static DataSource database;
  private static Journal dead;

  @BeforeAll
  static void start() {
    database = MigratedPostgres.start().getPostgresDatabase();
    dead = on("node-dead");
  }

  @Test
  void twoNodesClaimingAtOnce_takeEachOrphanOnce_andNeverALiveNodesEntry() throws Exception {
    List<String> orphans = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      orphans.add(TestEntries.register(dead, "rec-orphan-" + i));
    }
    Journal alive = on("node-alive");
    String living = TestEntries.register(alive, "rec-of-a-live-node");

    Journal a = on("node-a");
    Journal b = on("node-b");
    List<String> aliveNodes = List.of("node-a", "node-b", "node-alive");
    // Node a's claim of the first 25 is made and not yet committed while node b claims.
    TransactionTemplate tx = new TransactionTemplate(new DataSourceTransactionManager(database));
    CountDownLatch claimed = new CountDownLatch(1);
    CountDownLatch commit = new CountDownLatch(1);
    CompletableFuture<List<PendingEntry>> byA =
        CompletableFuture.supplyAsync(
            () ->
                tx.execute(
                    s -> {
                      List<PendingEntry> taken = a.claimOrphans(aliveNodes, 25);
                      claimed.countDown();
                      await(commit);
                      return taken;
                    }));
    assertThat(claimed.await(10, TimeUnit.SECONDS)).isTrue();
    List<PendingEntry> byB = b.claimOrphans(aliveNodes, 1000);
    // b skipped what a holds instead of waiting for it.
    assertThat(byA).as("a's claim still open when b's returned").isNotDone();
    commit.countDown();
    List<PendingEntry> takenByA = byA.get(10, TimeUnit.SECONDS);
    // Once a's claim is committed, a's entries belong to a live node: nothing is left to take.
    List<PendingEntry> again = b.claimOrphans(aliveNodes, 1000);

    assertThat(takenByA).hasSize(25);
    assertThat(byB).hasSize(15);
    assertThat(again).isEmpty();
    Set<String> all = new HashSet<>();
    takenByA.forEach(e -> all.add(e.id()));
    byB.forEach(e -> assertThat(all.add(e.id())).as("taken twice: %s", e.id()).isTrue());
    assertThat(all).containsExactlyInAnyOrderElementsOf(orphans).doesNotContain(living);
    for (PendingEntry e : takenByA) {
      assertThat(a.owner(e.id())).contains("node-a");
    }
    for (PendingEntry e : byB) {
      assertThat(a.owner(e.id())).contains("node-b");
    }
    assertThat(a.owner(living)).contains("node-alive");
  }

  private static Journal on(String node) {
    return new Journal(
        new JournalRepository(JdbcClient.create(database), new NodeIdentity(node)),
        new TransactionTemplate(new DataSourceTransactionManager(database)),
        Clock.systemUTC(),
        new SimpleMeterRegistry());
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
