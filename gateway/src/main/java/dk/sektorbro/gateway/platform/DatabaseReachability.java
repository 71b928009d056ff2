package dk.sektorbro.gateway.platform;

import java.sql.Connection;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.DoubleSupplier;
import javax.sql.DataSource;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

/**
 * Whether the database answers, known within {@link #BUDGET}: a connection from the pool, checked
 * on a thread of its own. The connection pool waits up to its connection timeout (30 s) for a
 * database that is away, and every health indicator and gauge that reads the database waited that
 * long in turn: health answered after two and a half minutes, longer than any load balancer or
 * monitor waits. Health and metrics ask this first and answer at once while it says unreachable. A
 * verdict is kept for {@link #KEEP}; a probe still waiting for its connection is not started twice.
 */
@Component
public class DatabaseReachability implements DisposableBean {

  /** How long one health answer or scrape waits for the database. */
  public static final Duration BUDGET = Duration.ofSeconds(5);

  static final Duration KEEP = Duration.ofSeconds(2);

  private final DataSource dataSource;
  private final Clock clock;
  private final ExecutorService prober =
      Executors.newSingleThreadExecutor(
          r -> {
            Thread thread = new Thread(r, "database-reachability");
            thread.setDaemon(true);
            return thread;
          });
  private CompletableFuture<Checked> probe;
  private Instant probeStarted;
  private Optional<String> verdict = Optional.empty();
  private Instant verdictAt = Instant.MIN;

  /** One probe's answer and when it came. */
  private record Checked(Optional<String> problem, Instant at) {}

  public DatabaseReachability(DataSource dataSource, Clock clock) {
    this.dataSource = dataSource;
    this.clock = clock;
  }

  /**
   * Empty when the database answered; else why not, one line without content (exception types and
   * the time waited).
   */
  public Optional<String> unreachable() {
    CompletableFuture<Checked> current;
    Instant started;
    synchronized (this) {
      Instant now = clock.instant();
      if (now.isBefore(verdictAt.plus(KEEP))) {
        return verdict;
      }
      if (probe != null && probe.isDone()) {
        // A probe that outlived its budget and ended since: its answer only while it is fresh
        // (one that failed a minute ago says nothing about a database that is back now).
        Checked done = probe.join();
        probe = null;
        if (now.isBefore(done.at().plus(KEEP))) {
          return keep(done.problem(), done.at());
        }
      }
      if (probe == null) {
        probeStarted = now;
        probe = CompletableFuture.supplyAsync(this::connect, prober);
      }
      current = probe;
      started = probeStarted;
    }
    Duration left = BUDGET.minus(Duration.between(started, clock.instant()));
    Optional<String> result;
    try {
      result = current.get(Math.max(0, left.toMillis()), TimeUnit.MILLISECONDS).problem();
    } catch (TimeoutException e) {
      result =
          Optional.of(
              "no database connection within "
                  + Duration.between(started, clock.instant()).toSeconds()
                  + " s");
    } catch (ExecutionException e) {
      result =
          Optional.of("database check failed (" + e.getCause().getClass().getSimpleName() + ")");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      result = Optional.of("interrupted while checking the database");
    }
    synchronized (this) {
      if (current.isDone() && probe == current) {
        probe = null;
      }
      return keep(result, clock.instant());
    }
  }

  /**
   * A caller has just seen the database fail: the next question is answered by a new probe, not by
   * a verdict of the last two seconds that says it answered.
   */
  public synchronized void recheck() {
    if (verdict.isEmpty()) {
      verdictAt = Instant.MIN;
    }
  }

  private Optional<String> keep(Optional<String> result, Instant at) {
    verdict = result;
    verdictAt = at;
    return result;
  }

  /** The gauge's value, or NaN without asking while the database does not answer. */
  public double orNaN(DoubleSupplier value) {
    if (unreachable().isPresent()) {
      return Double.NaN;
    }
    try {
      return value.getAsDouble();
    } catch (RuntimeException e) {
      return Double.NaN;
    }
  }

  private Checked connect() {
    Optional<String> problem;
    try (Connection connection = dataSource.getConnection()) {
      problem =
          connection.isValid((int) BUDGET.toSeconds())
              ? Optional.empty()
              : Optional.of("the database connection is not valid");
    } catch (Exception e) {
      problem = Optional.of("no database connection (" + rootType(e) + ")");
    }
    return new Checked(problem, clock.instant());
  }

  private static String rootType(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root == e
        ? e.getClass().getSimpleName()
        : e.getClass().getSimpleName() + ", " + root.getClass().getSimpleName();
  }

  @Override
  public void destroy() {
    prober.shutdownNow();
  }
}
