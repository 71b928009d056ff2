package dk.sektorbro.gateway.addressing;

import static dk.sektorbro.gateway.addressing.AddressResolverTest.WARD;
import static dk.sektorbro.gateway.addressing.AddressResolverTest.WARD_B;
import static dk.sektorbro.gateway.addressing.AddressResolverTest.WARD_GLN;
import static org.assertj.core.api.Assertions.assertThat;

import dk.sektorbro.gateway.addressing.Resolution.Outcome;
import dk.sektorbro.gateway.addressing.Resolution.Step;
import dk.sektorbro.gateway.medcom.MessageTypes;
import dk.sektorbro.gateway.record.CanonicalRecord.Organisation;
import org.junit.jupiter.api.Test;

/**
 * A source mapping that writes the SOR code into the EAN field and the EAN into the SOR field: each
 * value is what the other field wants (R2 moves, never re-reads, a value), and the pair must still
 * belong together (R7).
 */
class SwappedFieldsTest {

  private final RegistrySnapshot snapshot = AddressResolverTest.registry();

  private Resolution resolve(String sor, String gln) {
    return new AddressResolver(AddressingPolicy.DEFAULTS)
        .resolve(
            new Organisation(sor, gln, null),
            MessageTypes.CARE_COMMUNICATION,
            snapshot,
            TestRegistry.TODAY,
            false);
  }

  @Test
  void swappedSorAndEanOfOneUnit_areMovedBack_andTheAddressIsUsed() {
    Resolution r = resolve(WARD_GLN, WARD);
    assertThat(r.outcome()).isEqualTo(Outcome.FIXED);
    assertThat(r.resolved()).isEqualTo(new Organisation(WARD, WARD_GLN, "Ward A"));
    assertThat(r.trail()).extracting(Step::rule).containsExactly("R2");
    assertThat(r.reason()).contains("swapped");
  }

  @Test
  void swappedSorAndEanOfDifferentUnits_holdAsAConflict() {
    Resolution r = resolve(WARD_GLN, WARD_B);
    assertThat(r.outcome()).isEqualTo(Outcome.HELD);
    assertThat(r.resolved()).isNull();
    assertThat(r.trail()).extracting(Step::rule).containsExactly("R2", "R7");
  }
}
