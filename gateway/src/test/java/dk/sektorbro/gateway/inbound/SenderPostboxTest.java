package dk.sektorbro.gateway.inbound;

import static org.assertj.core.api.Assertions.assertThat;

import dk.sektorbro.gateway.addressing.RegistryLocation;
import dk.sektorbro.gateway.addressing.RegistrySnapshot;
import dk.sektorbro.gateway.addressing.SnapshotInfo;
import dk.sektorbro.gateway.medcom.MessageTypes;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The sender's postbox against SOR-EDI (MedCom: senders registered for the message type; the
 * acknowledgement, FCTL, goes back to the sender's EAN), including what must not be noted: a
 * postbox registered for both, or one the registry does not know.
 */
class SenderPostboxTest {

  private static final String CARE = "care-communication-message";
  private static final String BOTH = "5790009900030";
  private static final String LETTER_ONLY = "5790009900085";
  private static final String NO_FCTL = "5790009900047";
  private static final String BY_ENDPOINT = "5790009900054";

  private static final RegistrySnapshot SNAPSHOT =
      snapshot(
          box(BOTH, Set.of("FDIS91", "FCTL"), Set.of()),
          box(LETTER_ONLY, Set.of("XDIS91"), Set.of()),
          box(NO_FCTL, Set.of("FDIS91"), Set.of()),
          // An EHMI endpoint listing the Acknowledgement's message definition, not the SOR-EDI
          // code.
          box(
              BY_ENDPOINT,
              Set.of("FDIS91"),
              Set.of(MessageTypes.ACKNOWLEDGEMENT.definitionUris().iterator().next())));

  @Test
  void registeredForTheTypeAndFctl_orByAnEndpoint_saysNothing() {
    assertThat(SenderPostbox.unregistered(BOTH, CARE, SNAPSHOT)).isEmpty();
    assertThat(SenderPostbox.unregistered(BY_ENDPOINT, CARE, SNAPSHOT)).isEmpty();
  }

  @Test
  void namesWhatThePostboxLacks_theMessagesTypeAndOrFctl() {
    assertThat(SenderPostbox.unregistered(LETTER_ONLY, CARE, SNAPSHOT))
        .hasValue(
            "the sender's postbox EAN 5790009900085 is not registered for FDIS91, FCTL in registry"
                + " snapshot test-snapshot; answered there all the same");
    assertThat(SenderPostbox.unregistered(NO_FCTL, CARE, SNAPSHOT))
        .hasValueSatisfying(note -> assertThat(note).contains("not registered for FCTL in"));
    assertThat(SenderPostbox.unregistered(BOTH, "hospital-notification-message", SNAPSHOT))
        .hasValueSatisfying(note -> assertThat(note).contains("not registered for FDIS20 in"));
  }

  @Test
  void anEanTheRegistryDoesNotKnow_noSnapshot_orNoSender_saysNothing() {
    assertThat(SenderPostbox.unregistered("5790000120314", CARE, SNAPSHOT)).isEmpty();
    assertThat(SenderPostbox.unregistered(LETTER_ONLY, CARE, null)).isEmpty();
    assertThat(SenderPostbox.unregistered(null, CARE, SNAPSHOT)).isEmpty();
  }

  private static RegistryLocation box(String gln, Set<String> receives, Set<String> payloadTypes) {
    return new RegistryLocation(
        gln, "990031000016002", false, false, null, receives, payloadTypes, null);
  }

  private static RegistrySnapshot snapshot(RegistryLocation... boxes) {
    return new RegistrySnapshot(
        new SnapshotInfo(
            "test-snapshot",
            "TEST",
            LocalDate.of(2026, 12, 8),
            OffsetDateTime.now(),
            "hash",
            0,
            boxes.length,
            0,
            true),
        List.of(),
        List.of(boxes));
  }
}
