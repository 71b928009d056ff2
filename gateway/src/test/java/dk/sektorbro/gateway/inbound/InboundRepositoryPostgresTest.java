package dk.sektorbro.gateway.inbound;

import static org.assertj.core.api.Assertions.assertThat;

import dk.sektorbro.gateway.support.MigratedPostgres;
import java.time.OffsetDateTime;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The hand-over columns (V7) and the kept-message queries on real PostgreSQL, the production
 * database.
 */
class InboundRepositoryPostgresTest {

  private static MigratedPostgres postgres;

  @BeforeAll
  static void start() throws Exception {
    postgres = MigratedPostgres.start();
  }

  @Test
  void keptMessage_listedFoundByCitizen_thenHandedOverAndForgotten() {
    InboundRepository repository =
        new InboundRepository(JdbcClient.create(postgres.getPostgresDatabase()));
    OffsetDateTime now = OffsetDateTime.now();
    repository.insert(
        record("kept-1", "h-1"),
        now,
        "FILE",
        "care-communication-message",
        "5790009900030",
        "5790009900016",
        "ack-1",
        new Handover.Result(
            "socialpsykiatri",
            Handover.Status.KEPT,
            null,
            "kept, not handed over: needs consent",
            "0101485555"),
        "<Bundle/>");
    repository.insert(
        record("done-1", "h-2"),
        now.plusSeconds(1),
        "HTTP",
        "care-communication-message",
        "5790009900030",
        "5790009900023",
        "ack-2",
        new Handover.Result(
            "hjemmepleje", Handover.Status.HANDED_OVER, "/x/h-2.json", "handed over", "1711538456"),
        "{}");

    assertThat(repository.recent(null, 10))
        .extracting(InboundRepository.InboundMessageRow::id)
        .containsExactly("done-1", "kept-1");
    assertThat(repository.recent("KEPT", 10))
        .singleElement()
        .satisfies(r -> assertThat(r.handoverSystem()).isEqualTo("socialpsykiatri"));
    // The API's row has no place for the citizen.
    assertThat(InboundRepository.InboundMessageRow.class.getRecordComponents())
        .extracting(java.lang.reflect.RecordComponent::getName)
        .doesNotContain("citizenCpr");
    assertThat(repository.keptFor("1711538456")).isEmpty();
    assertThat(repository.keptFor("0101485555"))
        .singleElement()
        .satisfies(k -> assertThat(k.message()).isEqualTo("<Bundle/>"));

    Handover.Result later =
        new Handover.Result(
            "socialpsykiatri",
            Handover.Status.HANDED_OVER,
            "/x/h-1.json",
            "handed over",
            "0101485555");
    assertThat(repository.markHandedOver("kept-1", later, "released: ")).isTrue();
    assertThat(repository.markHandedOver("kept-1", later, "released: ")).isFalse();
    assertThat(repository.keptFor("0101485555")).isEmpty();
    assertThat(repository.recent("HANDED_OVER", 10)).hasSize(2);
  }

  private static InboundRecord record(String id, String headerId) {
    return new InboundRecord(id, "b-" + id, headerId, "ok", "valid", null, "<ack/>", null);
  }
}
