package dk.sektorbro.gateway.journal;

import static org.assertj.core.api.Assertions.assertThat;

import dk.sektorbro.gateway.support.MigratedPostgres;
import dk.sektorbro.gateway.support.TestEntries;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The journal's second key on real PostgreSQL: an accepted record with the same record hash (the
 * record as mapped) under the same source and record id is a duplicate whatever its bytes; the byte
 * key works as before for entries without one; a refusal never counts.
 */
class RecordKeyPostgresTest {

  private static MigratedPostgres postgres;
  private static Journal journal;
  private static JdbcClient jdbc;

  @BeforeAll
  static void start() {
    postgres = MigratedPostgres.start();
    journal = TestEntries.journal(postgres.getPostgresDatabase());
    jdbc = JdbcClient.create(postgres.getPostgresDatabase());
  }

  @Test
  void otherBytes_sameRecordHash_isADuplicateOfTheFirst_withANote() {
    Journal.Registration first = received(entry("rk-1", "bytes-a", "record-1"));
    Journal.Registration again = received(entry("rk-1", "bytes-b", "record-1"));
    assertThat(first.duplicate()).isFalse();
    assertThat(again.duplicate()).isTrue();
    assertThat(again.id()).isEqualTo(first.id());
    assertThat(journal.history(first.id()))
        .extracting(JournalEvent::reason)
        .contains("duplicate submission via REST ignored (same record, other bytes)");
    assertThat(journal.recordHash(first.id())).hasValue("record-1");
    assertThat(entries("rk-1")).isEqualTo(1);
  }

  @Test
  void otherRecordHash_sameRecordId_isANewEntry_andAnotherRecordIdWithTheSameHashToo() {
    Journal.Registration first = received(entry("rk-2", "bytes-a", "record-2"));
    Journal.Registration corrected = received(entry("rk-2", "bytes-b", "record-2-corrected"));
    Journal.Registration otherId = received(entry("rk-2b", "bytes-c", "record-2"));
    assertThat(corrected.duplicate()).isFalse();
    assertThat(corrected.id()).isNotEqualTo(first.id());
    assertThat(otherId.duplicate()).isFalse();
  }

  @Test
  void aRefusal_neverCounts_theRecordSentCorrectlyAfterwardsIsAccepted() {
    Journal.Registration refused =
        journal.register(
            entry("rk-3", "bytes-a", "record-3"), MessageState.FAILED, "refused: a rule", null);
    assertThat(journal.recordHash(refused.id())).isEmpty();
    Journal.Registration accepted = received(entry("rk-3", "bytes-b", "record-3"));
    assertThat(accepted.duplicate()).isFalse();
    assertThat(accepted.id()).isNotEqualTo(refused.id());
    // The same bytes as the refusal, accepted now (a mapping fixed): the accepted record's resend.
    Journal.Registration sameAsRefused = received(entry("rk-3", "bytes-a", "record-3"));
    assertThat(sameAsRefused.duplicate()).isTrue();
    assertThat(sameAsRefused.id()).isEqualTo(accepted.id());
  }

  @Test
  void anEntryFromBeforeTheRecordKey_isStillFoundByItsBytes() {
    Journal.Registration old = received(entry("rk-4", "bytes-a", null));
    Journal.Registration sameBytes = received(entry("rk-4", "bytes-a", "record-4"));
    assertThat(sameBytes.duplicate()).isTrue();
    assertThat(sameBytes.id()).isEqualTo(old.id());
    assertThat(journal.history(old.id()))
        .extracting(JournalEvent::reason)
        .contains("duplicate submission via REST ignored (same record and content)");
  }

  @Test
  void concurrentSubmissions_ofTheSameRecord_withOtherBytes_journalOneEntry() throws Exception {
    int submissions = 8;
    ExecutorService pool = Executors.newFixedThreadPool(submissions);
    try {
      CountDownLatch go = new CountDownLatch(1);
      List<Future<Journal.Registration>> results = new ArrayList<>();
      for (int i = 0; i < submissions; i++) {
        NewEntry entry = entry("rk-5", "bytes-" + i, "record-5");
        results.add(
            pool.submit(
                () -> {
                  go.await();
                  return received(entry);
                }));
      }
      go.countDown();
      List<Journal.Registration> registrations = new ArrayList<>();
      for (Future<Journal.Registration> result : results) {
        registrations.add(result.get());
      }
      assertThat(registrations).filteredOn(r -> !r.duplicate()).hasSize(1);
      assertThat(registrations)
          .extracting(Journal.Registration::id)
          .containsOnly(registrations.get(0).id());
      assertThat(entries("rk-5")).isEqualTo(1);
    } finally {
      pool.shutdownNow();
    }
  }

  private static Journal.Registration received(NewEntry entry) {
    return journal.register(entry, MessageState.RECEIVED, null, null);
  }

  private static long entries(String recordId) {
    return jdbc.sql("SELECT count(*) FROM journal_entry WHERE source_record_id = :id")
        .param("id", recordId)
        .query(Long.class)
        .single();
  }

  private static NewEntry entry(String recordId, String bytes, String recordHash) {
    byte[] payload = bytes.getBytes(StandardCharsets.UTF_8);
    return new NewEntry(
        "src",
        recordId,
        "hash-of-" + bytes,
        Channel.REST,
        null,
        "application/json",
        payload,
        payload.length,
        null,
        "{}",
        null,
        recordHash);
  }
}
