package dk.sektorbro.gateway.addressing;

import static dk.sektorbro.gateway.addressing.Codes.gln;
import static dk.sektorbro.gateway.addressing.Codes.sor;
import static dk.sektorbro.gateway.addressing.RegistryUnit.Level.IE;
import static dk.sektorbro.gateway.addressing.RegistryUnit.Level.OE;
import static dk.sektorbro.gateway.addressing.RegistryUnit.Level.SI;
import static dk.sektorbro.gateway.addressing.TestRegistry.TODAY;
import static org.assertj.core.api.Assertions.assertThat;

import dk.sektorbro.gateway.addressing.Resolution.Outcome;
import dk.sektorbro.gateway.medcom.MessageTypes;
import dk.sektorbro.gateway.record.CanonicalRecord.Organisation;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A closed unit whose named successor the snapshot does not hold (a partial export, a successor
 * created in another part of the register): the register says where its post goes, the snapshot
 * cannot, so it is an unknown address (R13: held for the next import once), not "closed without
 * successor" (R9: failed at once).
 */
class MissingSuccessorTest {

  static final String REGION = sor(601);
  static final String HOSPITAL = sor(602);
  static final String CLOSED = sor(603);
  static final String GONE = sor(604);
  static final String NOT_IN_SNAPSHOT = sor(699);

  private final RegistrySnapshot snapshot =
      new TestRegistry()
          .unit(IE, REGION, null, "Region")
          .unit(
              SI, HOSPITAL, REGION, "Hospital", gln(602), false, null, null, List.of(), null, null)
          .unit(
              OE,
              CLOSED,
              HOSPITAL,
              "Moved Ward",
              gln(603),
              false,
              TODAY.minusDays(3),
              null,
              List.of(NOT_IN_SNAPSHOT),
              null,
              null)
          .unit(
              OE,
              GONE,
              HOSPITAL,
              "Gone Ward",
              gln(604),
              false,
              TODAY.minusDays(3),
              null,
              List.of(),
              null,
              null)
          .build();

  private Resolution resolve(String sor, boolean heldUnknownBefore) {
    return new AddressResolver(AddressingPolicy.DEFAULTS)
        .resolve(
            new Organisation(sor, null, null),
            MessageTypes.CARE_COMMUNICATION,
            snapshot,
            TODAY,
            heldUnknownBefore);
  }

  @Test
  void successorNotInTheSnapshot_isHeldAsUnknownOnce_thenFails() {
    Resolution first = resolve(CLOSED, false);
    assertThat(first.outcome()).isEqualTo(Outcome.HELD);
    assertThat(first.reason()).contains("(R13)", NOT_IN_SNAPSHOT);
    assertThat(first.resolved()).isNull();

    Resolution again = resolve(CLOSED, true);
    assertThat(again.outcome()).isEqualTo(Outcome.FAILED);
    assertThat(again.reason()).contains("(R13)");
  }

  @Test
  void closedWithoutAnySuccessor_stillFailsAtOnce() {
    Resolution r = resolve(GONE, false);
    assertThat(r.outcome()).isEqualTo(Outcome.FAILED);
    assertThat(r.reason()).contains("(R9)");
  }
}
