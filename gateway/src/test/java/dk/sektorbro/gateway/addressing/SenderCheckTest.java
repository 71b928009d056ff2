package dk.sektorbro.gateway.addressing;

import static org.assertj.core.api.Assertions.assertThat;

import dk.sektorbro.gateway.record.CanonicalRecord.Organisation;
import org.junit.jupiter.api.Test;

/**
 * The sender's address: wrong check digits fail, contradictions hold, unknown senders are only
 * noted.
 */
class SenderCheckTest {

  private final RegistrySnapshot snapshot = AddressResolverTest.registry();

  @Test
  void knownSenderWithItsOwnEan_passes() {
    assertThat(
            SenderCheck.check(
                new Organisation(AddressResolverTest.WARD, AddressResolverTest.WARD_GLN, "x"),
                snapshot,
                TestRegistry.TODAY))
        .isEmpty();
  }

  @Test
  void badCheckDigit_isFatal() {
    String ward = AddressResolverTest.WARD;
    String bad = ward.substring(0, ward.length() - 1) + "1"; // WARD ends in 0
    var finding =
        SenderCheck.check(
                new Organisation(bad, AddressResolverTest.WARD_GLN, "x"),
                snapshot,
                TestRegistry.TODAY)
            .orElseThrow();
    assertThat(finding.fatal()).isTrue();
    assertThat(finding.step().rule()).isEqualTo("R3");
  }

  @Test
  void eanOfAnotherUnit_orAClosedSender_blocksWithoutFailing() {
    var conflict =
        SenderCheck.check(
                new Organisation(AddressResolverTest.WARD, Codes.gln(112), "x"),
                snapshot,
                TestRegistry.TODAY)
            .orElseThrow();
    assertThat(conflict.blocking()).isTrue();
    assertThat(conflict.fatal()).isFalse();
    assertThat(conflict.step().rule()).isEqualTo("R7");
    var closed =
        SenderCheck.check(
                new Organisation(AddressResolverTest.CLOSED_ONE_STEP, Codes.gln(106), "x"),
                snapshot,
                TestRegistry.TODAY)
            .orElseThrow();
    assertThat(closed.step().rule()).isEqualTo("R8");
    assertThat(closed.blocking()).isTrue();
  }

  @Test
  void unknownSender_isNotedOnly() {
    var noted =
        SenderCheck.check(
                new Organisation(Codes.sor(998), Codes.gln(998), "x"), snapshot, TestRegistry.TODAY)
            .orElseThrow();
    assertThat(noted.blocking()).isFalse();
    assertThat(noted.step().rule()).isEqualTo("R13");
  }

  /**
   * A source bound to its organisation (mapping {@code senders:}): its own units and their
   * sub-units pass, another organisation's unit is refused, an unknown unit only if listed.
   */
  @Test
  void boundSource_mayNameItsOwnUnitsAndTheirSubUnits_neverAnotherOrganisations() {
    java.util.List<String> hospital = java.util.List.of(AddressResolverTest.HOSPITAL);
    // The ward is below the hospital; the subteam two levels further down (inherited EAN).
    assertThat(
            SenderCheck.check(
                new Organisation(AddressResolverTest.WARD, AddressResolverTest.WARD_GLN, "x"),
                snapshot,
                TestRegistry.TODAY,
                hospital))
        .isEmpty();
    assertThat(
            SenderCheck.check(
                new Organisation(AddressResolverTest.SUBTEAM, AddressResolverTest.WARD_GLN, "x"),
                snapshot,
                TestRegistry.TODAY,
                hospital))
        .isEmpty();
    // The GP clinic is another organisation (another IE): refused, whatever its EAN.
    var other =
        SenderCheck.check(
                new Organisation(AddressResolverTest.GP_CLINIC, Codes.gln(120), "x"),
                snapshot,
                TestRegistry.TODAY,
                hospital)
            .orElseThrow();
    assertThat(other.fatal()).isTrue();
    assertThat(other.step().rule()).isEqualTo("R18");
    assertThat(other.step().message())
        .contains(AddressResolverTest.GP_CLINIC)
        .contains(AddressResolverTest.HOSPITAL);
    // Above the bound unit is not below it: the region is refused too.
    assertThat(
            SenderCheck.check(
                    new Organisation(AddressResolverTest.REGION, null, "x"),
                    snapshot,
                    TestRegistry.TODAY,
                    hospital)
                .orElseThrow()
                .step()
                .rule())
        .isEqualTo("R18");
    // Unknown to the registry: only if listed itself (then only noted, as before).
    String unknown = Codes.sor(998);
    assertThat(
            SenderCheck.check(
                    new Organisation(unknown, Codes.gln(998), "x"),
                    snapshot,
                    TestRegistry.TODAY,
                    hospital)
                .orElseThrow()
                .step()
                .rule())
        .isEqualTo("R18");
    assertThat(
            SenderCheck.check(
                    new Organisation(unknown, Codes.gln(998), "x"),
                    snapshot,
                    TestRegistry.TODAY,
                    java.util.List.of(unknown))
                .orElseThrow()
                .blocking())
        .isFalse();
  }
}
