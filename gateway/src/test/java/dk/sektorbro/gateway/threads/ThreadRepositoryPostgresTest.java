package dk.sektorbro.gateway.threads;

import static org.assertj.core.api.Assertions.assertThat;

import dk.sektorbro.gateway.support.MigratedPostgres;
import dk.sektorbro.gateway.threads.ThreadRepository.StoredMessage;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;

/** The thread store on PostgreSQL: a message is stored once, whatever comes later. */
class ThreadRepositoryPostgresTest {

  @Test
  void aMessageIsStoredOnce_aSecondStoreOfTheSameMessageHeaderChangesNothing() {
    ThreadRepository threads =
        new ThreadRepository(JdbcClient.create(MigratedPostgres.start().getPostgresDatabase()));
    OffsetDateTime at = OffsetDateTime.of(2026, 12, 6, 18, 0, 0, 0, ZoneOffset.UTC);
    StoredMessage first =
        new StoredMessage("mh-1", "thread-1", "episode-1", "SENT", "entry-1", at, "<Bundle/>");

    threads.insert(first);
    threads.insert(
        new StoredMessage(
            "mh-1", "thread-2", null, "RECEIVED", "entry-2", at.plusHours(1), "<Other/>"));

    assertThat(threads.find("mh-1").orElseThrow())
        .usingRecursiveComparison()
        .withEqualsForType(OffsetDateTime::isEqual, OffsetDateTime.class)
        .isEqualTo(first);
  }
}
