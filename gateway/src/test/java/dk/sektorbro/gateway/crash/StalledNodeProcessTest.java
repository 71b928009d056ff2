package dk.sektorbro.gateway.crash;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dk.sektorbro.gateway.platform.Sha256;
import dk.sektorbro.gateway.support.SampleConsents;
import dk.sektorbro.gateway.support.TestDatabase;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Two gateway nodes (separate JVMs) on one PostgreSQL deliver by HTTP to a recipient that answers
 * each POST after 400 ms. Node 1 takes every record and delivers with one worker, so its deliver
 * queue backs up (the recipient answers nothing until every record is in, so it does on any
 * machine); then it is stopped with SIGSTOP. Node 2 finds it silent (heartbeats by the database's
 * clock) and takes its unfinished entries over; node 1 is continued with SIGCONT while node 2
 * delivers them. Every message must reach the recipient once: only a POST that had left node 1
 * before the SIGSTOP (its answer not yet journaled) may arrive a second time, from node 2.
 */
@Tag("integration")
@Execution(ExecutionMode.CONCURRENT)
class StalledNodeProcessTest {

  private static final Logger log = LoggerFactory.getLogger(StalledNodeProcessTest.class);
  private static final int RECORDS = Integer.getInteger("stalled.records", 40);
  private static final Duration START = Duration.ofMinutes(Long.getLong("kill.start.minutes", 10));

  @TempDir Path root;

  @Test
  void aNodeStoppedAndContinued_sendsNothingTheOtherNodeTookOver() throws Exception {
    String jdbcUrl = TestDatabase.newDatabaseUrl();
    Map<String, AtomicInteger> posts = new ConcurrentHashMap<>();
    // Each node posts to a path of its own, so a POST is known by its sender. A POST of node 1 that
    // arrives before the SIGCONT left it before the SIGSTOP: a snapshot of what had arrived, taken
    // just after the SIGSTOP, missed one still on its way (the test JVM busy with the integration
    // tier), and node 2's take-over of that message then read as a second POST.
    Set<String> leftNode1BeforeTheStop = ConcurrentHashMap.newKeySet();
    AtomicBoolean continued = new AtomicBoolean();
    // Node 1's queue backs up however fast or slow the machine: with the recipient answering while
    // the records were submitted, a slow machine's submissions were no faster than one worker's
    // deliveries, and the backlog the test waits for never came.
    CountDownLatch allSubmitted = new CountDownLatch(1);
    HttpServer recipient = HttpServer.create(new InetSocketAddress("localhost", 0), 0);
    recipient.setExecutor(Executors.newFixedThreadPool(8));
    recipient.createContext(
        "/fhir",
        exchange -> {
          try (InputStream body = exchange.getRequestBody()) {
            String hash = Sha256.hex(body.readAllBytes());
            posts.computeIfAbsent(hash, h -> new AtomicInteger()).incrementAndGet();
            if (exchange.getRequestURI().getPath().startsWith("/fhir/node-1/")
                && !continued.get()) {
              leftNode1BeforeTheStop.add(hash);
            }
            allSubmitted.await(10, TimeUnit.MINUTES);
            GatewayProcess.sleep(400);
            exchange.sendResponseHeaders(200, -1);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // the test is over: not taken
            exchange.sendResponseHeaders(503, -1);
          } finally {
            exchange.close();
          }
        });
    recipient.start();
    String url =
        "http://localhost:" + recipient.getAddress().getPort() + "/fhir/%s/$process-message";
    Path dataDir = root.resolve("data");
    Path logs =
        Path.of("target", "kill-test-logs", "stalled-" + System.nanoTime()).toAbsolutePath();
    GatewayProcess stalled = node("node-1", dataDir, logs, jdbcUrl, url, 1);
    GatewayProcess other = node("node-2", dataDir, logs, jdbcUrl, url, 4);
    try {
      stalled.start(START);
      SampleConsents.recordAll(stalled.admin());
      other.start(START);

      KillWorkload work = new KillWorkload(Long.toString(System.nanoTime(), 36));
      work.submitRest(0, RECORDS, stalled::intake);
      allSubmitted.countDown();
      String ofNode1 = "owner_node = 'node-1' AND state IN ('RECEIVED','TRANSLATED','VALIDATED')";
      waitFor(() -> KillWorkload.count(jdbcUrl, ofNode1) >= RECORDS / 4, Duration.ofMinutes(3));
      // Stopped while it delivers: its third POST has arrived, two are answered.
      waitFor(() -> posts.size() >= 3, Duration.ofMinutes(3));

      stalled.pause(true);
      // What the test used to take for "left before the SIGSTOP"; logged, to see how often a POST
      // still on its way arrives after it.
      Set<String> arrivedAtTheStop = Set.copyOf(posts.keySet());
      long held = KillWorkload.count(jdbcUrl, ofNode1);
      // Node 2's sweep (every 5 s) takes them once node 1 missed three heartbeats (2 s); not those
      // whose rows a transaction of the stopped node holds locked (the claim skips them): node 1
      // finishes those when it goes on. Continued as soon as the take-over is seen, while node 2
      // is delivering what it took.
      waitFor(() -> KillWorkload.count(jdbcUrl, ofNode1) <= held / 2, Duration.ofMinutes(2));
      continued.set(true);
      stalled.pause(false);
      Set<String> leftBeforeTheStop = Set.copyOf(leftNode1BeforeTheStop);

      work.awaitSettled(jdbcUrl, dataDir.resolve("inbox"), Duration.ofMinutes(5));
      Map<String, Integer> twice =
          posts.entrySet().stream()
              .filter(e -> e.getValue().get() > 1 && !leftBeforeTheStop.contains(e.getKey()))
              .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().get()));
      long abandoned =
          KillWorkload.count(
              jdbcUrl,
              "id IN (SELECT entry_id FROM journal_event WHERE reason LIKE"
                  + " '%sent nothing: another node had taken the step over%')");
      log.info(
          "stalled node test: node 1 held {} unfinished entries at SIGSTOP, {} POSTs had left"
              + " before it ({} of them arrived after it); {} messages posted, {} posted twice"
              + " after it; {} attempts abandoned",
          held,
          leftBeforeTheStop.size(),
          leftBeforeTheStop.stream().filter(h -> !arrivedAtTheStop.contains(h)).count(),
          posts.size(),
          twice.size(),
          abandoned);
      assertThat(KillWorkload.count(jdbcUrl, "state = 'SENT'")).isEqualTo(RECORDS);
      assertThat(twice).as("messages posted twice after node 1's SIGSTOP").isEmpty();
      assertThat(leftBeforeTheStop)
          .as("messages whose POST had left node 1 before the SIGSTOP, posted at most twice")
          .allMatch(hash -> posts.get(hash).get() <= 2);
      assertThat(stalled.stop()).isIn(0, 143);
      assertThat(other.stop()).isIn(0, 143);
    } finally {
      allSubmitted.countDown();
      stalled.destroy();
      other.destroy();
      recipient.stop(0);
    }
  }

  private static GatewayProcess node(
      String name, Path dataDir, Path logs, String jdbcUrl, String url, int deliverWorkers) {
    return new GatewayProcess(
        name,
        dataDir,
        GatewayProcess.freePort(),
        logs,
        List.of(
            "--spring.datasource.url=" + jdbcUrl,
            "--spring.datasource.username=postgres",
            "--gateway.node.name=" + name,
            // 2 s, not 1: at nice 10 beside the integration tier a running node can go without CPU
            // for seconds; taken for dead while its own POST is under way, it sends that message
            // a second time (the window no fence closes, docs/limits.md), which is not what this
            // test is about. Seen once at load 24: node 1 took node 2's entries back.
            "--gateway.node.heartbeat-interval=2s",
            "--db-scheduler.heartbeat-interval=2s",
            "--gateway.pipeline.sweep-interval=5s",
            "--gateway.pipeline.stalled-after=60s",
            "--gateway.pipeline.deliver-workers=" + deliverWorkers,
            "--gateway.conformance.mode=fast",
            "--gateway.delivery.default-route.transport=HTTP",
            "--gateway.delivery.default-route.url=" + url.formatted(name),
            // Node 1's first POST waits for the submissions (above); not given up meanwhile.
            "--gateway.delivery.http.request-timeout=10m"));
  }

  private interface Check {
    boolean holds() throws Exception;
  }

  private static void waitFor(Check check, Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!check.holds()) {
      assertThat(System.nanoTime()).as("waited %s", timeout).isLessThan(deadline);
      GatewayProcess.sleep(100);
    }
  }
}
