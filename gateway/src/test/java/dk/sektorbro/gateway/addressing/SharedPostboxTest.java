package dk.sektorbro.gateway.addressing;

import static dk.sektorbro.gateway.addressing.Codes.gln;
import static dk.sektorbro.gateway.addressing.Codes.sor;
import static dk.sektorbro.gateway.addressing.RegistryUnit.Level.IE;
import static dk.sektorbro.gateway.addressing.RegistryUnit.Level.OE;
import static dk.sektorbro.gateway.addressing.RegistryUnit.Level.SI;
import static dk.sektorbro.gateway.addressing.TestRegistry.TODAY;
import static org.assertj.core.api.Assertions.assertThat;

import dk.sektorbro.gateway.addressing.Resolution.Outcome;
import dk.sektorbro.gateway.addressing.Resolution.Step;
import dk.sektorbro.gateway.addressing.Resolution.Suggestion;
import dk.sektorbro.gateway.medcom.MessageTypes;
import dk.sektorbro.gateway.record.CanonicalRecord.Organisation;
import java.time.LocalDate;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * A postbox is an EAN/GLN location number owned by one SOR unit (addressing.md §0.1, §2); two
 * owners of one number is a register error, and the unit whose postbox it is decides whether a unit
 * inheriting it may use it. Plain Java against a registry built in code.
 */
class SharedPostboxTest {

  // A hospital ward and a municipal home-care unit both registered as owners of one EAN.
  static final String REGION = sor(401);
  static final String HOSPITAL = sor(402);
  static final String WARD = sor(403);
  static final String WARD_TEAM = sor(404);
  static final String MUNICIPALITY = sor(411);
  static final String HOME_CARE = sor(412);
  static final String SHARED = gln(430);

  // A unit closed last month whose active successor took over its EAN.
  static final String OLD_UNIT = sor(421);
  static final String NEW_UNIT = sor(422);
  static final String MOVED = gln(431);

  // A ward that keeps an EAN a unit opening next month is also registered with.
  static final String KEEPER = sor(423);
  static final String NEXT_MONTH = sor(424);
  static final String HANDED_OVER = gln(432);

  // A department registered before it opens, and a section under it that is open already.
  static final String FUTURE_DEPARTMENT = sor(425);
  static final String OPEN_SECTION = sor(426);
  static final String FUTURE_GLN = gln(433);

  static RegistrySnapshot registry() {
    TestRegistry r =
        new TestRegistry()
            .unit(IE, REGION, null, "Region Test")
            .unit(
                SI,
                HOSPITAL,
                REGION,
                "Test Hospital",
                gln(402),
                false,
                null,
                null,
                List.of(),
                null,
                null)
            .unit(OE, WARD, HOSPITAL, "Ward 1", SHARED, false, null, null, List.of(), null, null)
            .unit(OE, WARD_TEAM, WARD, "Ward 1 Team", null, true, null, null, List.of(), null, null)
            .unit(IE, MUNICIPALITY, null, "Test Kommune")
            .unit(
                SI,
                HOME_CARE,
                MUNICIPALITY,
                "Hjemmeplejen",
                SHARED,
                false,
                null,
                null,
                List.of(),
                null,
                null)
            .unit(
                OE,
                OLD_UNIT,
                HOSPITAL,
                "Old Ward",
                MOVED,
                false,
                TODAY.minusMonths(1),
                null,
                List.of(NEW_UNIT),
                null,
                null)
            .unit(
                OE, NEW_UNIT, HOSPITAL, "New Ward", MOVED, false, null, null, List.of(), null, null)
            .unit(
                OE,
                KEEPER,
                HOSPITAL,
                "Keeping Ward",
                HANDED_OVER,
                false,
                null,
                null,
                List.of(),
                null,
                null);
    r.builder().unit(opening(NEXT_MONTH, HOSPITAL, "Ward Opening Next Month", HANDED_OVER));
    r.location(box(HANDED_OVER, NEXT_MONTH));
    r.builder().unit(opening(FUTURE_DEPARTMENT, HOSPITAL, "Future Department", FUTURE_GLN));
    r.location(box(FUTURE_GLN, FUTURE_DEPARTMENT));
    r.builder()
        .unit(
            new RegistryUnit(
                OPEN_SECTION,
                OE,
                FUTURE_DEPARTMENT,
                "Open Section",
                null,
                null,
                null,
                null,
                null,
                null,
                List.of(),
                true,
                null,
                null,
                null));
    return r.build();
  }

  private static RegistryUnit opening(String sor, String parent, String name, String ownGln) {
    return new RegistryUnit(
        sor,
        OE,
        parent,
        name,
        null,
        null,
        null,
        null,
        TODAY.plusMonths(1),
        null,
        List.of(),
        false,
        ownGln,
        null,
        null);
  }

  private static RegistryLocation box(String gln, String owner) {
    return new RegistryLocation(gln, owner, false, false, null, TestRegistry.CARE, Set.of(), null);
  }

  private final RegistrySnapshot snapshot = registry();

  private Resolution resolve(String sor, String gln) {
    return new AddressResolver(AddressingPolicy.DEFAULTS)
        .resolve(
            new Organisation(sor, gln, null),
            MessageTypes.CARE_COMMUNICATION,
            snapshot,
            TODAY,
            false);
  }

  private static Step last(Resolution r) {
    return r.trail().get(r.trail().size() - 1);
  }

  @Test
  void sorOfOneOwnerOfASharedEan_isHeld_withBothOwnersSuggested() {
    for (Resolution r : List.of(resolve(WARD, null), resolve(WARD, SHARED))) {
      assertThat(r.outcome()).isEqualTo(Outcome.HELD);
      assertThat(r.resolved()).isNull();
      assertThat(last(r).rule()).isEqualTo("R6");
      assertThat(r.reason()).contains(SHARED).contains(HOME_CARE);
      assertThat(r.suggestions())
          .extracting(Suggestion::sor)
          .containsExactlyInAnyOrder(WARD, HOME_CARE);
    }
  }

  @Test
  void unitInheritingASharedEan_isHeld_too() {
    Resolution r = resolve(WARD_TEAM, null);
    assertThat(r.outcome()).isEqualTo(Outcome.HELD);
    assertThat(last(r).rule()).isEqualTo("R6");
    assertThat(r.reason()).contains(HOME_CARE);
  }

  @Test
  void eanOnly_ofASharedEan_isStillHeldByR6() {
    Resolution r = resolve(null, SHARED);
    assertThat(r.outcome()).isEqualTo(Outcome.HELD);
    assertThat(last(r).rule()).isEqualTo("R6");
  }

  @Test
  void eanKeptByTheSuccessorOfAClosedUnit_isUsed() {
    Resolution direct = resolve(NEW_UNIT, null);
    assertThat(direct.outcome()).isEqualTo(Outcome.FIXED);
    assertThat(direct.resolved()).isEqualTo(new Organisation(NEW_UNIT, MOVED, "New Ward"));

    Resolution viaSuccessor = resolve(OLD_UNIT, MOVED);
    assertThat(viaSuccessor.outcome()).isEqualTo(Outcome.FIXED);
    assertThat(viaSuccessor.resolved()).isEqualTo(new Organisation(NEW_UNIT, MOVED, "New Ward"));
  }

  @Test
  void eanAlsoRegisteredForAUnitNotYetOpen_staysWithTheOpenOwnerUntilThen() {
    Resolution r = resolve(KEEPER, HANDED_OVER);
    assertThat(r.outcome()).isEqualTo(Outcome.UNCHANGED);
    assertThat(r.resolved().sor()).isEqualTo(KEEPER);
  }

  @Test
  void postboxInheritedFromAUnitNotYetOpen_isHeldUntilItOpens() {
    LocalDate opens = TODAY.plusMonths(1);
    Resolution r = resolve(OPEN_SECTION, null);
    assertThat(r.outcome()).isEqualTo(Outcome.HELD);
    assertThat(r.resolved()).isNull();
    assertThat(last(r).rule()).isEqualTo("R17");
    assertThat(r.reason()).contains(FUTURE_DEPARTMENT).contains(opens.toString()).contains("(R17)");

    Resolution thatDay =
        new AddressResolver(AddressingPolicy.DEFAULTS)
            .resolve(
                new Organisation(OPEN_SECTION, null, null),
                MessageTypes.CARE_COMMUNICATION,
                snapshot,
                opens,
                false);
    assertThat(thatDay.outcome()).isEqualTo(Outcome.FIXED);
    assertThat(thatDay.resolved().gln()).isEqualTo(FUTURE_GLN);
  }
}
