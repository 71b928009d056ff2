package dk.sektorbro.gateway.validation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ca.uhn.fhir.context.FhirContext;
import dk.sektorbro.gateway.support.GatewayIntegrationTest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * gateway.conformance.warm-up=on-demand: a chain nobody warmed up at start is warmed up by the
 * first message that reaches its gate, on that message's thread and alone; the messages that come
 * meanwhile wait at the gate and get the same verdict as after the warm-up (the thread-safety rule
 * of docs/validation.md, "Start-up and timing").
 */
// Loads the MedCom chains into a validator of its own (cold, unlike the suite's shared one).
@Tag("integration")
class WarmUpOnDemandTest {

  private static final String TYPE = ChainDefinition.ACKNOWLEDGEMENT;

  @Test
  void firstMessageWarmsTheChainUpAlone_theOthersWaitAtTheGate_sameVerdicts() throws Exception {
    // Its own chains, not MedComChains.get(): a gate closed on the suite's shared chains would hold
    // the validations of the test classes running beside this one.
    ConformanceChains chains =
        ConformanceChains.load(
            FhirContext.forR4Cached(),
            new ConformanceProperties(
                MedComChains.PACKAGES,
                GatewayIntegrationTest.REPO.resolve("profiles"),
                MedComChains.CACHE));
    ConformanceChain chain = chains.forType(TYPE);
    assertThat(chain).isNotSameAs(chains.fallback());
    String example = chains.officialExamples(TYPE).get(0);

    AtomicInteger warmUps = new AtomicInteger();
    AtomicReference<String> warmedOn = new AtomicReference<>();
    AtomicLong warmUpEnded = new AtomicLong(Long.MAX_VALUE);
    chain.beginWarmUpOnDemand(
        () -> {
          warmUps.incrementAndGet();
          warmedOn.set(Thread.currentThread().getName());
          ConformanceConfiguration.warmUp(chain, example);
          warmUpEnded.set(System.nanoTime());
        });
    assertThat(chain.warm()).as("gate closed until the first message").isFalse();
    // Nothing warms the chain up before a message needs it.
    await()
        .during(Duration.ofMillis(300))
        .atMost(Duration.ofSeconds(5))
        .until(() -> warmUps.get() == 0);

    int workers = 4;
    ExecutorService pool = Executors.newFixedThreadPool(workers);
    CountDownLatch go = new CountDownLatch(1);
    Set<String> workerThreads = ConcurrentHashMap.newKeySet();
    List<Future<Returned>> returned = new ArrayList<>();
    try {
      for (int i = 0; i < workers; i++) {
        Callable<Returned> work =
            () -> {
              workerThreads.add(Thread.currentThread().getName());
              go.await();
              ValidationReport report = chain.validate(example);
              return new Returned(report, System.nanoTime());
            };
        returned.add(pool.submit(work));
      }
      go.countDown();
      List<Returned> results = new ArrayList<>();
      for (Future<Returned> done : returned) {
        results.add(done.get(5, TimeUnit.MINUTES));
      }

      assertThat(warmUps).as("warm-ups of the chain").hasValue(1);
      assertThat(workerThreads).as("warmed up on a message's own thread").contains(warmedOn.get());
      assertThat(chain.warm()).isTrue();
      ValidationReport warm = chain.validate(example);
      for (Returned result : results) {
        assertThat(result.at())
            .as("a validation returned before the chain's warm-up was over")
            .isGreaterThanOrEqualTo(warmUpEnded.get());
        assertThat(result.report().sameFindings(warm))
            .as("verdict at the gate = warm verdict")
            .isTrue();
      }
    } finally {
      pool.shutdownNow();
    }

    // Warm: a second on-demand warm-up is not taken, and the gate stays open.
    chain.beginWarmUpOnDemand(warmUps::incrementAndGet);
    assertThat(chain.warm()).isTrue();
    chain.validate(example);
    assertThat(warmUps).hasValue(1);
  }

  private record Returned(ValidationReport report, long at) {}
}
