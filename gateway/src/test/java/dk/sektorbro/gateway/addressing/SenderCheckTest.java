package dk.sektorbro.gateway.addressing;

import static org.assertj.core.api.Assertions.assertThat;

import dk.sektorbro.gateway.record.CanonicalRecord.Organisation;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
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

  // MedCom: the sender's SOR unit has a location number registered in the network, and every
  // message is acknowledged to it (KR1); a reply goes there too. A postbox that is internal only,
  // out of operation or not yet in force cannot take either: the message is held (the registry, not
  // the content, is wrong), not sent and left without its acknowledgement.
  @Test
  void aSenderWhosePostboxCannotTakeTheAcknowledgement_isHeld_internalOnly_outOfOperation_notYet() {
    RegistryLocation internal =
        new RegistryLocation(
            Codes.gln(901), Codes.sor(901), true, false, null, TestRegistry.CARE, Set.of(), null);
    RegistryLocation inactive =
        new RegistryLocation(
            Codes.gln(902), Codes.sor(902), false, true, null, TestRegistry.CARE, Set.of(), null);
    RegistryLocation ended =
        new RegistryLocation(
            Codes.gln(903),
            Codes.sor(903),
            false,
            false,
            TestRegistry.TODAY.minusDays(1),
            TestRegistry.CARE,
            Set.of(),
            null);
    RegistryLocation notYet =
        new RegistryLocation(
            Codes.gln(904),
            Codes.sor(904),
            false,
            false,
            TestRegistry.TODAY.plusDays(3),
            null,
            TestRegistry.CARE,
            Set.of(),
            null,
            null);
    RegistryLocation inForce =
        new RegistryLocation(
            Codes.gln(905), Codes.sor(905), false, false, null, TestRegistry.CARE, Set.of(), null);
    TestRegistry registry = new TestRegistry();
    for (RegistryLocation box : List.of(internal, inactive, ended, notYet, inForce)) {
      registry.owning(RegistryUnit.Level.SI, box.ownerSorId(), null, "sender", box);
    }
    RegistrySnapshot snapshot = registry.build();

    Map<String, String> rules = new LinkedHashMap<>();
    for (RegistryLocation box : List.of(internal, inactive, ended, notYet)) {
      SenderCheck.Finding finding =
          SenderCheck.check(
                  new Organisation(box.ownerSorId(), box.gln(), "sender"),
                  snapshot,
                  TestRegistry.TODAY)
              .orElseThrow(() -> new AssertionError("no finding for " + box.gln()));
      assertThat(finding.blocking()).as(box.gln()).isTrue();
      assertThat(finding.fatal()).as(box.gln()).isFalse();
      assertThat(finding.step().message()).contains(box.gln());
      rules.put(box.gln(), finding.step().rule());
    }
    assertThat(rules.values()).containsExactly("R12", "R9", "R9", "R17");
    assertThat(
            SenderCheck.check(
                new Organisation(inForce.ownerSorId(), inForce.gln(), "sender"),
                snapshot,
                TestRegistry.TODAY))
        .isEmpty();
  }
}
