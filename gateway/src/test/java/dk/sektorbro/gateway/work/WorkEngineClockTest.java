package dk.sektorbro.gateway.work;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.SchedulerName;
import com.github.kagkarlsson.scheduler.stats.StatsRegistry;
import com.github.kagkarlsson.scheduler.task.ExecutionComplete;
import com.github.kagkarlsson.scheduler.task.helper.OneTimeTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import dk.sektorbro.gateway.platform.DatabaseClock;
import dk.sektorbro.gateway.support.MigratedPostgres;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * Two work-engine nodes (db-scheduler, as the gateway configures it: its clock from
 * WorkEngineConfiguration) on one real PostgreSQL, one of them on a host whose clock is five
 * minutes ahead. The engine compares the due times and execution heartbeats one node wrote with
 * another node's clock: with each node's own clock the node ahead took the other's running work for
 * dead and ran it a second time beside it, and ran work due in a minute at once.
 */
class WorkEngineClockTest {

  private static final Duration AHEAD = Duration.ofMinutes(5);

  @Test
  void aNodeWhoseClockIsAhead_neitherStealsRunningWork_norRunsWorkEarly() throws Exception {
    DataSource database = MigratedPostgres.start().getPostgresDatabase();
    List<String> runs = new CopyOnWriteArrayList<>();
    CountDownLatch running = new CountDownLatch(1);
    CountDownLatch finish = new CountDownLatch(1);
    OneTimeTask<Void> slow =
        Tasks.oneTime("clock-test-slow")
            .execute(
                (instance, context) -> {
                  runs.add(instance.getId() + "@" + context.getExecution().pickedBy);
                  running.countDown();
                  try {
                    finish.await(30, TimeUnit.SECONDS);
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  }
                });

    Scheduler onTime = node(database, slow, "node-on-time", Clock.systemUTC(), StatsRegistry.NOOP);
    Scheduler ahead = null;
    try {
      onTime.start();
      onTime.schedule(slow.instance("running"), Instant.now());
      assertThat(running.await(30, TimeUnit.SECONDS)).as("the on-time node runs the work").isTrue();
      // Due in a minute (by the database's clock, which the on-time node's is).
      onTime.schedule(slow.instance("later"), Instant.now().plus(Duration.ofMinutes(1)));

      Checks checks = new Checks();
      ahead = node(database, slow, "node-ahead", Clock.offset(Clock.systemUTC(), AHEAD), checks);
      ahead.start();
      // Dead-execution detection runs every two heartbeats (1 s here) and declares an execution
      // dead after four missed ones; polling every 200 ms. Eight seconds is plenty for both on an
      // idle machine; on a loaded one the node ahead may not have looked yet, and its runs would
      // be missing because nothing was checked: so also until it has, twice each.
      Thread.sleep(8_000);
      await()
          .atMost(Duration.ofMinutes(2))
          .until(() -> checks.deadDetections.get() >= 2 && checks.duePolls.get() >= 2);

      assertThat(runs)
          .as("runs of the work (a second 'running' is the node ahead taking it over)")
          .containsExactly("running@node-on-time");
    } finally {
      finish.countDown();
      if (ahead != null) {
        ahead.stop();
      }
      onTime.stop();
    }
    await().atMost(Duration.ofSeconds(5)).until(() -> runs.size() == 1);
  }

  /** How often a node's engine has looked for dead executions and for due work. */
  private static final class Checks implements StatsRegistry {
    final AtomicInteger deadDetections = new AtomicInteger();
    final AtomicInteger duePolls = new AtomicInteger();

    @Override
    public void register(SchedulerStatsEvent e) {
      if (e == SchedulerStatsEvent.RAN_DETECT_DEAD) {
        deadDetections.incrementAndGet();
      } else if (e == SchedulerStatsEvent.RAN_EXECUTE_DUE) {
        duePolls.incrementAndGet();
      }
    }

    @Override
    public void register(CandidateStatsEvent e) {}

    @Override
    public void register(ExecutionStatsEvent e) {}

    @Override
    public void registerSingleCompletedExecution(ExecutionComplete completeEvent) {}
  }

  /** A node's engine as WorkEngineConfiguration builds it, on a host whose clock is {@code own}. */
  private static Scheduler node(
      DataSource database, OneTimeTask<Void> task, String name, Clock own, StatsRegistry stats) {
    DatabaseClock clock = new DatabaseClock(own);
    clock.measure(database);
    return Scheduler.create(database, task)
        .clock(WorkEngineConfiguration.engineClock(clock))
        .schedulerName(new SchedulerName.Fixed(name))
        .heartbeatInterval(Duration.ofSeconds(1))
        .missedHeartbeatsLimit(4)
        .pollingInterval(Duration.ofMillis(200))
        .threads(2)
        .statsRegistry(stats)
        .build();
  }
}
