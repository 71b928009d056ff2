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
 * A unit that inherits its postbox gets the postbox's state with it: the owner's internal-only,
 * out-of-operation or not-yet-in-force postbox, or an owner that has closed, is never used for the
 * inheriting unit either.
 */
class InheritedPostboxTest {

  static final String OWNER = sor(170);
  static final String CLOSED_SI = sor(171);
  static final String CHILD_OF_CLOSED = sor(172);
  static final String INTERNAL_SI = sor(173);
  static final String CHILD_OF_INTERNAL = sor(174);
  static final String FUTURE_SI = sor(175);
  static final String CHILD_OF_FUTURE = sor(176);

  private static RegistrySnapshot registry() {
    return new TestRegistry()
        .unit(IE, OWNER, null, "Owner")
        // A hospital closed last month whose postbox was never flagged non-active.
        .unit(
            SI,
            CLOSED_SI,
            OWNER,
            "Closed hospital",
            gln(171),
            false,
            TODAY.minusMonths(1),
            null,
            List.of(),
            null,
            null)
        .unit(
            OE,
            CHILD_OF_CLOSED,
            CLOSED_SI,
            "Ward of the closed hospital",
            null,
            true,
            null,
            null,
            List.of(),
            null,
            null)
        .owning(
            SI,
            INTERNAL_SI,
            OWNER,
            "Internal desk",
            new RegistryLocation(
                gln(173), INTERNAL_SI, true, false, null, TestRegistry.CARE, null, null))
        .unit(
            OE,
            CHILD_OF_INTERNAL,
            INTERNAL_SI,
            "Team under the internal desk",
            null,
            true,
            null,
            null,
            List.of(),
            null,
            null)
        .owning(
            SI,
            FUTURE_SI,
            OWNER,
            "Opens next week",
            new RegistryLocation(
                gln(175),
                FUTURE_SI,
                false,
                false,
                TODAY.plusWeeks(1),
                null,
                TestRegistry.CARE,
                null,
                null,
                null))
        .unit(
            OE,
            CHILD_OF_FUTURE,
            FUTURE_SI,
            "Team of the new postbox",
            null,
            true,
            null,
            null,
            List.of(),
            null,
            null)
        .build();
  }

  private static Resolution resolve(String sor, String gln) {
    return new AddressResolver(AddressingPolicy.DEFAULTS)
        .resolve(
            new Organisation(sor, gln, null),
            MessageTypes.CARE_COMMUNICATION,
            registry(),
            TODAY,
            false);
  }

  @Test
  void inheritingFromAnInternalOnlyPostbox_fails_R12() {
    Resolution r = resolve(CHILD_OF_INTERNAL, null);
    assertThat(r.outcome()).isEqualTo(Outcome.FAILED);
    assertThat(r.reason()).contains("(R12)");
  }

  @Test
  void inheritingFromAPostboxNotYetInForce_isHeld_R17() {
    Resolution r = resolve(CHILD_OF_FUTURE, null);
    assertThat(r.outcome()).isEqualTo(Outcome.HELD);
    assertThat(r.reason()).contains("(R17)").contains(gln(175));
  }

  /**
   * Failed before: the ward was FIXED to the closed hospital's postbox ("EAN filled from the
   * location number inherited from ..."). The closed hospital's postbox is not flagged non-active
   * in the register, but its owner has closed: neither the hospital nor a ward that inherits the
   * postbox may be addressed through it.
   */
  @Test
  void postboxOfAClosedOwner_isNotUsed_byTheOwnerNorByAnInheritingUnit() {
    Resolution owner = resolve(CLOSED_SI, null);
    assertThat(owner.outcome()).isEqualTo(Outcome.FAILED);
    Resolution child = resolve(CHILD_OF_CLOSED, null);
    assertThat(child.outcome()).as(child.reason()).isEqualTo(Outcome.FAILED);
    assertThat(child.reason()).contains("(R9)").contains(CLOSED_SI);
    assertThat(child.errorCode()).isEqualTo(Resolution.MAILBOX_OUT_OF_OPERATION);
    Resolution byEan = resolve(null, gln(171));
    assertThat(byEan.outcome()).isNotIn(Outcome.UNCHANGED, Outcome.FIXED);
  }
}
