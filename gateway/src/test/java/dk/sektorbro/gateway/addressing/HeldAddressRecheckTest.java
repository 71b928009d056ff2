package dk.sektorbro.gateway.addressing;

import static org.assertj.core.api.Assertions.assertThat;

import dk.sektorbro.gateway.delivery.ReleasePoint;
import dk.sektorbro.gateway.journal.Journal;
import dk.sektorbro.gateway.journal.MessageState;
import dk.sektorbro.gateway.support.MigratedPostgres;
import dk.sektorbro.gateway.support.TestEntries;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The daily re-check releases only messages held because their postbox was not yet in force (R17);
 * an unknown address (R13) waits for a new snapshot, since a second look at the same one fails it.
 * Real journal on a real PostgreSQL.
 */
class HeldAddressRecheckTest {

  private static MigratedPostgres postgres;
  private static Journal journal;

  @BeforeAll
  static void start() {
    postgres = MigratedPostgres.start();
    journal = TestEntries.journal(postgres.getPostgresDatabase());
  }

  private static String held(String reason) {
    String id = TestEntries.register(journal, "rec-" + UUID.randomUUID());
    assertThat(
            journal.transition(
                id,
                List.of(MessageState.RECEIVED),
                MessageState.HELD_ADDRESS,
                AddressingGate.STAGE,
                reason,
                null))
        .isTrue();
    return id;
  }

  @Test
  void dailyRecheck_releasesNotYetInForceHolds_only() {
    String notYet =
        held(
            "address held (R17): EAN 5790009900085 is not in force before 2026-11-24 (registry"
                + " period start) [MSG_Mailbox_Out_Of_Operation]");
    String unknown =
        held("address held (R13): SOR 990991000016004 is well-formed but not in the snapshot");
    List<String> resumed = new ArrayList<>();
    HeldAddressRecheck recheck =
        new HeldAddressRecheck(
            journal, (id, state) -> resumed.add(id + ":" + state), new ReleasePoint(journal, null));

    assertThat(recheck.releaseNotYetInForce()).isGreaterThanOrEqualTo(1);

    assertThat(resumed).contains(notYet + ":RECEIVED").noneMatch(r -> r.startsWith(unknown));
    assertThat(journal.find(notYet).orElseThrow().state()).isEqualTo(MessageState.RECEIVED);
    assertThat(journal.find(notYet).orElseThrow().stateReason()).contains("(R17)");
    assertThat(journal.find(unknown).orElseThrow().state()).isEqualTo(MessageState.HELD_ADDRESS);
  }
}
