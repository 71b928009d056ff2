package dk.sektorbro.gateway.platform;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * This node's clock, kept within {@link #TOLERANCE} of the database's: the time every part of the
 * gateway reads (journal times, acknowledgement deadlines, retention ages, the work engine's due
 * times and heartbeats, see work/WorkEngineConfiguration). Several nodes share one database, and
 * the work engine compares times one node wrote with another node's clock: a node whose own clock
 * was minutes ahead took the running work of the others for dead and ran it again, one behind ran
 * due work late. The offset to the database's clock is measured at start and by every cluster
 * heartbeat (the node's own clock against {@code clock_timestamp()}); it changes only when the
 * measurement differs from it by more than the tolerance, so a node whose clock is in step (NTP)
 * reads its own clock unchanged and time never jitters by a measurement's noise.
 */
public final class DatabaseClock extends Clock {

  private static final Logger log = LoggerFactory.getLogger(DatabaseClock.class);

  /** How far this clock may be from the database's before it is corrected. */
  public static final Duration TOLERANCE = Duration.ofSeconds(1);

  private final Clock system;
  private final AtomicLong offsetMillis;

  private DatabaseClock(Clock system, AtomicLong offsetMillis) {
    this.system = system;
    this.offsetMillis = offsetMillis;
  }

  /** {@code system} as it is, until {@link #correct} or {@link #measure} find it off. */
  public DatabaseClock(Clock system) {
    this(system, new AtomicLong());
  }

  /** The node's own clock, uncorrected: what the heartbeat measures against the database's. */
  public Clock system() {
    return system;
  }

  /** What this clock adds to the node's own clock (the database's time minus the node's). */
  public Duration offset() {
    return Duration.ofMillis(offsetMillis.get());
  }

  /**
   * The node's own clock was measured {@code skew} ahead of the database's (negative: behind): the
   * offset follows when it differs from the measurement by more than {@link #TOLERANCE}.
   */
  public void correct(Duration skew) {
    long wanted = -skew.toMillis();
    long current = offsetMillis.get();
    if (Math.abs(wanted - current) > TOLERANCE.toMillis()
        && offsetMillis.compareAndSet(current, wanted)) {
      log.info(
          "this node's clock is {} ms {} the database's: the gateway uses the database's time",
          Math.abs(wanted),
          wanted > 0 ? "behind" : "ahead of");
    }
  }

  /**
   * Measures the node's clock against the database's once, by the midpoint of one round trip (its
   * error at most half the round trip), and {@link #correct}s by it.
   */
  public void measure(DataSource database) {
    JdbcTemplate jdbc = new JdbcTemplate(database);
    Instant before = system.instant();
    OffsetDateTime db = jdbc.queryForObject("SELECT clock_timestamp()", OffsetDateTime.class);
    Instant after = system.instant();
    Instant mid = before.plus(Duration.between(before, after).dividedBy(2));
    correct(Duration.between(db.toInstant(), mid));
  }

  @Override
  public Instant instant() {
    return system.instant().plusMillis(offsetMillis.get());
  }

  @Override
  public long millis() {
    return system.millis() + offsetMillis.get();
  }

  @Override
  public ZoneId getZone() {
    return system.getZone();
  }

  /** The same corrected time in another zone (the offset is shared, and corrected as one). */
  @Override
  public Clock withZone(ZoneId zone) {
    return zone.equals(getZone()) ? this : new DatabaseClock(system.withZone(zone), offsetMillis);
  }
}
