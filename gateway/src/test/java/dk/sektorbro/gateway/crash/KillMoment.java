package dk.sektorbro.gateway.crash;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Random;
import org.slf4j.Logger;

/**
 * When a kill test kills: mostly mid-delivery (after a random number of new postbox files, waited
 * for up to 90 s), sometimes at a random moment (within 4 s); the first kill always mid-delivery.
 * Once all is delivered, the wait ends at once instead of waiting for files that never come (a
 * restarted node must still start cleanly). Draws from the test's seeded {@link Random} in a fixed
 * order, so a seed replays the same kills.
 */
final class KillMoment {

  private final int kill;
  private final int kills;
  private final boolean midDelivery;
  private final long before;
  private final Path outboxRoot;

  private KillMoment(int kill, int kills, boolean midDelivery, long before, Path outboxRoot) {
    this.kill = kill;
    this.kills = kills;
    this.midDelivery = midDelivery;
    this.before = before;
    this.outboxRoot = outboxRoot;
  }

  /** Waits for the moment of kill {@code kill} of {@code kills}, {@code records} in all. */
  static KillMoment await(int kill, int kills, Random random, Path outboxRoot, int records)
      throws IOException {
    long before = KillWorkload.postboxFiles(outboxRoot);
    long wanted = Math.min(before + 1 + random.nextInt(12), records);
    boolean midDelivery = kill == 1 || random.nextInt(3) > 0;
    long deadline =
        System.nanoTime() + Duration.ofSeconds(midDelivery ? 90 : random.nextInt(4)).toNanos();
    while (KillWorkload.postboxFiles(outboxRoot) < wanted && System.nanoTime() < deadline) {
      GatewayProcess.sleep(20);
    }
    GatewayProcess.sleep(random.nextInt(400));
    return new KillMoment(kill, kills, midDelivery, before, outboxRoot);
  }

  /**
   * Logs "kill N of M (moment): [who, ]postbox files before -> now, states {...}[, what]" on the
   * test's logger; {@code who} and {@code what} (the victim, what of it dies) are left out when
   * null.
   */
  void log(Logger log, String jdbcUrl, String who, String what) throws IOException, SQLException {
    log.info(
        "kill {} of {} ({}): {}postbox files {} -> {}, states {}{}",
        kill,
        kills,
        midDelivery ? "mid-delivery" : "at a random moment",
        who == null ? "" : who + ", ",
        before,
        KillWorkload.postboxFiles(outboxRoot),
        KillWorkload.states(jdbcUrl),
        what == null ? "" : ", " + what);
  }
}
