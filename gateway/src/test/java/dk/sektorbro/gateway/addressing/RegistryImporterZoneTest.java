package dk.sektorbro.gateway.addressing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntConsumer;
import org.junit.jupiter.api.Test;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.TransactionStatus;
import org.springframework.transaction.support.SimpleTransactionStatus;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The successor chains an import stores are computed for the Danish calendar day, whatever the
 * JVM's default zone: the register's dates (a unit's last day) are Danish dates, and the gateway's
 * clock is in the JVM's default zone (UTC on a typical container).
 */
class RegistryImporterZoneTest {

  /** Afsnit P1 of the synthetic registry: last day 2026-06-30, replaced by Afsnit P3. */
  private static final String P1 = "990131000016003";

  private static final String P3 = "990031000016002";

  @Test
  void justAfterDanishMidnight_aUnitClosedYesterdayGetsItsChain_onAUtcClock() throws IOException {
    // 2026-07-01 00:30 in Copenhagen (CEST), still 2026-06-30 in UTC.
    Clock utc = Clock.fixed(Instant.parse("2026-06-30T22:30:00Z"), ZoneOffset.UTC);
    Map<String, String> chains = importSynthetic(utc);

    assertThat(chains).containsEntry(P1, "ACTIVE " + P3);
  }

  @Test
  void justBeforeDanishMidnight_aUnitOnItsLastDayHasNoChain_onAClockEastOfDenmark()
      throws IOException {
    // 2026-06-30 23:30 in Copenhagen, its last day still; already 2026-07-01 at UTC+14.
    Clock east = Clock.fixed(Instant.parse("2026-06-30T21:30:00Z"), ZoneOffset.ofHours(14));
    Map<String, String> chains = importSynthetic(east);

    assertThat(chains).doesNotContainKey(P1);
  }

  /** Imports the shipped synthetic SOR registry and returns the chains handed to storage. */
  private static Map<String, String> importSynthetic(Clock clock) throws IOException {
    Map<String, String> stored = new HashMap<>();
    RegistryRepository repository =
        new RegistryRepository(null, null) {
          @Override
          void lockImports() {}

          @Override
          void insertSnapshot(SnapshotInfo s) {}

          @Override
          void insertUnits(
              String snapshotId,
              List<RegistryUnit> units,
              Map<String, String> successorChains,
              IntConsumer progress) {
            stored.putAll(successorChains);
          }

          @Override
          void insertLocations(
              String snapshotId, List<RegistryLocation> locations, IntConsumer progress) {}

          @Override
          void insertRejections(String snapshotId, List<Rejection> rejections) {}

          @Override
          void activate(String id) {}

          @Override
          int prune(int keep) {
            return 0;
          }
        };
    try (RegistryUpload upload = RegistryUpload.of(SorXmlFormatTest.SYNTHETIC)) {
      new RegistryImporter(repository, new TransactionTemplate(new NoTransactions()), clock)
          .store(
              upload,
              new SorXmlFormat(),
              new ImportProgress("test", "SOR_XML", OffsetDateTime.now(clock)),
              3);
    }
    return stored;
  }

  /** Storage is replaced above; the transaction around it has nothing to do. */
  private static final class NoTransactions implements PlatformTransactionManager {
    @Override
    public TransactionStatus getTransaction(TransactionDefinition definition) {
      return new SimpleTransactionStatus();
    }

    @Override
    public void commit(TransactionStatus status) {}

    @Override
    public void rollback(TransactionStatus status) {}
  }
}
