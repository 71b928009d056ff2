package dk.sektorbro.gateway.addressing;

import static dk.sektorbro.gateway.addressing.AddressResolverTest.CLOSED_ONE_STEP;
import static dk.sektorbro.gateway.addressing.AddressResolverTest.WARD;
import static dk.sektorbro.gateway.addressing.AddressResolverTest.WARD_GLN;
import static dk.sektorbro.gateway.addressing.Codes.gln;
import static org.assertj.core.api.Assertions.assertThat;

import dk.sektorbro.gateway.addressing.Resolution.Outcome;
import dk.sektorbro.gateway.medcom.MessageTypes;
import dk.sektorbro.gateway.record.CanonicalRecord.Organisation;
import org.junit.jupiter.api.Test;

/**
 * The resolved recipient is what the MessageHeader's receiver Organization carries (name included):
 * after R8 the name a source gave is the closed unit's, not the recipient's.
 */
class SuccessorNameTest {

  private final RegistrySnapshot snapshot = AddressResolverTest.registry();

  private Resolution resolve(String sor, String gln, String name) {
    return new AddressResolver(AddressingPolicy.DEFAULTS)
        .resolve(
            new Organisation(sor, gln, name),
            MessageTypes.CARE_COMMUNICATION,
            snapshot,
            TestRegistry.TODAY,
            false);
  }

  @Test
  void closedUnitsName_isNotSentWithItsSuccessorsAddress() {
    Resolution r = resolve(CLOSED_ONE_STEP, gln(106), "Old Ward");
    assertThat(r.outcome()).isEqualTo(Outcome.FIXED);
    assertThat(r.resolved()).isEqualTo(new Organisation(WARD, WARD_GLN, "Ward A"));
  }

  @Test
  void nameGivenForTheUnitItself_isKept() {
    Resolution r = resolve(WARD, null, "Afsnit A, 2. sal");
    assertThat(r.resolved()).isEqualTo(new Organisation(WARD, WARD_GLN, "Afsnit A, 2. sal"));
  }
}
