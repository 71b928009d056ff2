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
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Rules R1–R13 on a small registry built in code; no Spring, no database. */
class AddressResolverTest {

  // Region tree. Ward A's SOR and EAN both end in check digit 0 on purpose.
  static final String REGION = sor(101);
  static final String HOSPITAL = sor(102);
  static final String WARD = sor(140);
  static final String WARD_GLN = gln(117);
  static final String TEAM = sor(104);
  static final String SUBTEAM = sor(105);
  static final String CLOSED_ONE_STEP = sor(106);
  static final String CLOSED_TWO_STEPS = sor(107);
  static final String LOOP_X = sor(108);
  static final String LOOP_Y = sor(109);
  static final String CLOSED_NO_SUCCESSOR = sor(110);
  static final String CLOSED_TWO_SUCCESSORS = sor(111);
  static final String WARD_B = sor(112);
  static final String INTERNAL = sor(113);
  static final String LEGACY_ONLY = sor(114);
  static final String OUT_OF_OPERATION = sor(115);
  static final String SHARED_1 = sor(131);
  static final String SHARED_2 = sor(132);
  static final String EER_UNIT = sor(150);
  static final String GP_OWNER = sor(120);
  static final String GP_CLINIC = sor(121);
  static final String SHARED_GLN = gln(130);
  static final LocalDate CLOSED = LocalDate.of(2026, 6, 30);

  static RegistrySnapshot registry() {
    TestRegistry r =
        new TestRegistry()
            .unit(IE, REGION, null, "Region Test")
            .unit(
                SI,
                HOSPITAL,
                REGION,
                "Test Hospital",
                gln(102),
                false,
                null,
                "8801",
                List.of(),
                null,
                Set.of("XDIS91"))
            .unit(
                OE, WARD, HOSPITAL, "Ward A", WARD_GLN, false, null, "880103", List.of(), null,
                null)
            .unit(OE, TEAM, WARD, "Ward A Team", null, true, null, null, List.of(), null, null)
            .unit(
                OE,
                SUBTEAM,
                TEAM,
                "Ward A Team North",
                null,
                true,
                null,
                null,
                List.of(),
                null,
                null)
            .unit(
                OE,
                CLOSED_ONE_STEP,
                HOSPITAL,
                "Old Ward",
                gln(106),
                false,
                CLOSED,
                null,
                List.of(WARD),
                null,
                null)
            .unit(
                OE,
                CLOSED_TWO_STEPS,
                HOSPITAL,
                "Older Ward",
                null,
                true,
                CLOSED.minusYears(1),
                null,
                List.of(CLOSED_ONE_STEP),
                null,
                null)
            .unit(
                OE,
                LOOP_X,
                HOSPITAL,
                "Loop X",
                gln(108),
                false,
                CLOSED,
                null,
                List.of(LOOP_Y),
                null,
                null)
            .unit(
                OE,
                LOOP_Y,
                HOSPITAL,
                "Loop Y",
                gln(109),
                false,
                CLOSED,
                null,
                List.of(LOOP_X),
                null,
                null)
            .unit(
                OE,
                CLOSED_NO_SUCCESSOR,
                HOSPITAL,
                "Gone Ward",
                gln(110),
                false,
                CLOSED,
                null,
                List.of(),
                null,
                null)
            .unit(
                OE,
                CLOSED_TWO_SUCCESSORS,
                HOSPITAL,
                "Split Ward",
                gln(111),
                false,
                CLOSED,
                null,
                List.of(WARD, WARD_B),
                null,
                null)
            .unit(
                OE, WARD_B, HOSPITAL, "Ward B", gln(112), false, null, "8899", List.of(), null,
                null)
            .unit(
                OE,
                LEGACY_ONLY,
                HOSPITAL,
                "Emergency Room",
                gln(114),
                false,
                null,
                "8899",
                List.of(),
                null,
                Set.of("XDIS91", "DIS91"))
            .owning(OE, SHARED_1, HOSPITAL, "Shared One", box(SHARED_GLN, SHARED_1, false, false))
            .owning(OE, SHARED_2, HOSPITAL, "Shared Two", box(SHARED_GLN, SHARED_2, false, false))
            .owning(OE, INTERNAL, HOSPITAL, "Internal Desk", box(gln(113), INTERNAL, true, false))
            .owning(
                OE,
                OUT_OF_OPERATION,
                HOSPITAL,
                "Paused Ward",
                box(gln(115), OUT_OF_OPERATION, false, true))
            .owning(
                OE,
                EER_UNIT,
                HOSPITAL,
                "EER Ward",
                new RegistryLocation(
                    gln(150),
                    EER_UNIT,
                    false,
                    false,
                    null,
                    Set.of(),
                    Set.of(
                        "urn:dk:healthcare:medcom:messaging:fhir:structuredefinition:carecommunication:5.0"),
                    null))
            .unit(
                IE,
                GP_OWNER,
                null,
                "GP Practice Owner",
                gln(120),
                false,
                null,
                null,
                List.of(),
                null,
                null)
            .unit(
                SI,
                GP_CLINIC,
                GP_OWNER,
                "GP Clinic",
                null,
                true,
                null,
                null,
                List.of(),
                "099002",
                null);
    return r.build();
  }

  private static RegistryLocation box(
      String gln, String owner, boolean internal, boolean nonActive) {
    return new RegistryLocation(
        gln, owner, internal, nonActive, null, TestRegistry.CARE, Set.of(), null);
  }

  private final RegistrySnapshot snapshot = registry();

  private Resolution resolve(String sor, String gln) {
    return resolve(AddressingPolicy.DEFAULTS, sor, gln, null);
  }

  private Resolution resolve(AddressingPolicy policy, String sor, String gln, String name) {
    return new AddressResolver(policy)
        .resolve(
            new Organisation(sor, gln, name),
            MessageTypes.CARE_COMMUNICATION,
            snapshot,
            TODAY,
            false);
  }

  private static List<String> rules(Resolution r) {
    return r.trail().stream().map(Step::rule).toList();
  }

  @Test
  void correctAddress_withCheckDigitsEndingInZero_isUnchanged() {
    assertThat(WARD).endsWith("0");
    assertThat(WARD_GLN).endsWith("0");
    Resolution r = resolve(WARD, WARD_GLN);
    assertThat(r.outcome()).isEqualTo(Outcome.UNCHANGED);
    assertThat(r.resolved()).isEqualTo(new Organisation(WARD, WARD_GLN, "Ward A"));
    assertThat(r.unitPath()).containsExactly("Region Test", "Test Hospital", "Ward A");
  }

  @Test
  void r1_spacesDashesAndPrefixes_areNormalised() {
    String spaced =
        " " + WARD.substring(0, 4) + "-" + WARD.substring(4, 8) + " " + WARD.substring(8) + " ";
    for (String glnForm :
        List.of(
            "0088:" + WARD_GLN,
            "https://www.gs1.org/gln/" + WARD_GLN,
            "http://www.gs1.org/gln|" + WARD_GLN,
            "urn:oid:1.3.88|" + WARD_GLN)) {
      Resolution r = resolve(spaced, glnForm);
      assertThat(r.outcome()).as(glnForm).isEqualTo(Outcome.FIXED);
      assertThat(r.resolved().sor()).isEqualTo(WARD);
      assertThat(r.resolved().gln()).isEqualTo(WARD_GLN);
      assertThat(rules(r)).containsOnly("R1");
      assertThat(r.trail()).anyMatch(s -> glnForm.equals(s.before()) && WARD_GLN.equals(s.after()));
    }
  }

  @Test
  void r2_glnInTheSorField_isMovedAndItsOwnerFilledIn() {
    Resolution r = resolve(WARD_GLN, null);
    assertThat(r.outcome()).isEqualTo(Outcome.FIXED);
    assertThat(rules(r)).containsExactly("R2", "R6");
    assertThat(r.resolved()).isEqualTo(new Organisation(WARD, WARD_GLN, "Ward A"));
  }

  @Test
  void r2_sorInTheEanField_isMoved() {
    Resolution r = resolve(null, WARD);
    assertThat(r.outcome()).isEqualTo(Outcome.FIXED);
    assertThat(rules(r)).containsExactly("R2", "R5");
  }

  @Test
  void r2_cvrNumber_isNeverReadAsAPostbox() {
    Resolution r = resolve("29190925", null);
    assertThat(r.outcome()).isEqualTo(Outcome.FAILED);
    assertThat(rules(r)).containsExactly("R2");
  }

  @Test
  void r3_badCheckDigits_andPlaceholders_failWithoutRepair() {
    String badSor = WARD.substring(0, WARD.length() - 1) + "1";
    String badGln = WARD_GLN.substring(0, 12) + "1";
    for (String[] address :
        List.of(
            new String[] {badSor, null},
            new String[] {null, badGln},
            new String[] {WARD, badGln},
            new String[] {"543210987654321", null},
            new String[] {null, "0000000000000"},
            new String[] {null, "9999999999994"},
            new String[] {"99999999999", null})) {
      Resolution r = resolve(address[0], address[1]);
      assertThat(r.outcome())
          .as(String.join(",", Arrays.asList(address)))
          .isEqualTo(Outcome.FAILED);
      assertThat(rules(r)).last().isEqualTo("R3");
      assertThat(r.errorCode()).isEqualTo(Resolution.RECEIVER_UNKNOWN);
      assertThat(r.resolved()).isNull();
    }
  }

  @Test
  void r4_shakCode_isMappedButHeldForApprovalByDefault() {
    Resolution held = resolve("880103", null);
    assertThat(held.outcome()).isEqualTo(Outcome.HELD);
    assertThat(held.suggestions()).extracting(Suggestion::sor).containsExactly(WARD);
    assertThat(held.suggestions().get(0).gln()).isEqualTo(WARD_GLN);

    AddressingPolicy auto = new AddressingPolicy(Set.of("R1", "R2", "R4", "R5", "R6", "R8"), 1);
    Resolution fixed = resolve(auto, "880103", null, null);
    assertThat(fixed.outcome()).isEqualTo(Outcome.FIXED);
    assertThat(rules(fixed)).containsExactly("R4", "R5");
    assertThat(fixed.resolved()).isEqualTo(new Organisation(WARD, WARD_GLN, "Ward A"));
  }

  @Test
  void r4_providerNumber_isComparedWithoutLeadingZeros_andTheIeOwnedEanIsInherited() {
    AddressingPolicy auto = new AddressingPolicy(Set.of("R4", "R5"), 1);
    for (String given : List.of("099002", "0099002")) {
      Resolution r = resolve(auto, given, null, null);
      assertThat(r.outcome()).as(given).isEqualTo(Outcome.FIXED);
      assertThat(r.resolved()).isEqualTo(new Organisation(GP_CLINIC, gln(120), "GP Clinic"));
    }
  }

  @Test
  void r4_shakOfSeveralUnits_holdsWithBoth() {
    Resolution r = resolve("8899", null);
    assertThat(r.outcome()).isEqualTo(Outcome.HELD);
    assertThat(r.suggestions())
        .extracting(Suggestion::sor)
        .containsExactlyInAnyOrder(WARD_B, LEGACY_ONLY);
  }

  @Test
  void r5_sorOnly_getsTheEanInheritedTwoLevelsUp() {
    Resolution r = resolve(SUBTEAM, null);
    assertThat(r.outcome()).isEqualTo(Outcome.FIXED);
    assertThat(r.resolved()).isEqualTo(new Organisation(SUBTEAM, WARD_GLN, "Ward A Team North"));
    assertThat(r.trail())
        .singleElement()
        .satisfies(
            s -> {
              assertThat(s.rule()).isEqualTo("R5");
              assertThat(s.message()).contains(WARD);
              assertThat(s.after()).isEqualTo(WARD_GLN);
            });
  }

  @Test
  void r5_heldWhenThePolicyDoesNotApplyIt() {
    Resolution r = resolve(new AddressingPolicy(Set.of("R1"), 1), SUBTEAM, null, null);
    assertThat(r.outcome()).isEqualTo(Outcome.HELD);
    assertThat(r.resolved()).isNull();
    assertThat(r.suggestions())
        .singleElement()
        .satisfies(s -> assertThat(s.gln()).isEqualTo(WARD_GLN));
  }

  @Test
  void r6_eanOnly_getsTheOwningUnit_notAnInheritingChild() {
    Resolution r = resolve(null, WARD_GLN);
    assertThat(r.outcome()).isEqualTo(Outcome.FIXED);
    assertThat(r.resolved().sor()).isEqualTo(WARD);
    assertThat(snapshot.unitsUsing(WARD_GLN)).hasSize(3);
  }

  @Test
  void r6_eanWithSeveralOwners_holds() {
    Resolution r = resolve(null, SHARED_GLN);
    assertThat(r.outcome()).isEqualTo(Outcome.HELD);
    assertThat(rules(r)).containsExactly("R6");
    assertThat(r.suggestions())
        .extracting(Suggestion::sor)
        .containsExactlyInAnyOrder(SHARED_1, SHARED_2);
  }

  @Test
  void r7_sorAndEanOfDifferentUnits_holdWithBothCandidates() {
    Resolution r = resolve(WARD, gln(112));
    assertThat(r.outcome()).isEqualTo(Outcome.HELD);
    assertThat(rules(r)).containsExactly("R7");
    assertThat(r.suggestions()).extracting(Suggestion::sor).containsExactly(WARD, WARD_B);
  }

  @Test
  void r8_closedUnit_isReaddressedToItsSuccessor_withItsEan() {
    Resolution r = resolve(CLOSED_ONE_STEP, gln(106));
    assertThat(r.outcome()).isEqualTo(Outcome.FIXED);
    assertThat(r.resolved().sor()).isEqualTo(WARD);
    assertThat(r.resolved().gln()).isEqualTo(WARD_GLN);
    assertThat(rules(r)).containsExactly("R8", "R5");
    assertThat(r.trail().get(0).before()).isEqualTo(CLOSED_ONE_STEP);
    assertThat(r.trail().get(0).after()).isEqualTo(WARD);
  }

  @Test
  void r8_closedUnitAddressedByEanOnly_isReaddressedToo() {
    Resolution r = resolve(null, gln(106));
    assertThat(r.outcome()).isEqualTo(Outcome.FIXED);
    assertThat(r.resolved()).isEqualTo(new Organisation(WARD, WARD_GLN, "Ward A"));
    assertThat(rules(r)).containsExactly("R6", "R8", "R5");
  }

  @Test
  void r8_chainOfTwo_holdsByDefault_andAppliesWhenAllowed() {
    Resolution held = resolve(CLOSED_TWO_STEPS, null);
    assertThat(held.outcome()).isEqualTo(Outcome.HELD);
    assertThat(held.suggestions()).extracting(Suggestion::sor).containsExactly(WARD);

    Resolution fixed =
        resolve(
            new AddressingPolicy(AddressingPolicy.DEFAULTS.autoApply(), 2),
            CLOSED_TWO_STEPS,
            null,
            null);
    assertThat(fixed.outcome()).isEqualTo(Outcome.FIXED);
    assertThat(fixed.resolved().sor()).isEqualTo(WARD);
  }

  @Test
  void r8_cycle_andSeveralSuccessors_hold() {
    assertThat(resolve(LOOP_X, null).outcome()).isEqualTo(Outcome.HELD);
    assertThat(resolve(LOOP_X, null).reason()).contains("loops");
    Resolution split = resolve(CLOSED_TWO_SUCCESSORS, null);
    assertThat(split.outcome()).isEqualTo(Outcome.HELD);
    assertThat(split.suggestions()).extracting(Suggestion::sor).containsExactly(WARD, WARD_B);
  }

  @Test
  void r9_closedWithoutSuccessor_failsAndNeverFallsBackToTheParent() {
    Resolution r = resolve(CLOSED_NO_SUCCESSOR, gln(110));
    assertThat(r.outcome()).isEqualTo(Outcome.FAILED);
    assertThat(rules(r)).containsExactly("R9");
    assertThat(r.errorCode()).isEqualTo(Resolution.RECEIVER_UNKNOWN);
    assertThat(r.resolved()).isNull();
  }

  @Test
  void r9_activeUnitWithPostboxOutOfOperation_failsAsMailboxOutOfOperation() {
    Resolution r = resolve(OUT_OF_OPERATION, null);
    assertThat(r.outcome()).isEqualTo(Outcome.FAILED);
    assertThat(r.errorCode()).isEqualTo(Resolution.MAILBOX_OUT_OF_OPERATION);
  }

  @Test
  void r10_postboxWithoutFdis91_failsAndSuggestsUnitsThatCan() {
    Resolution r = resolve(LEGACY_ONLY, gln(114));
    assertThat(r.outcome()).isEqualTo(Outcome.FAILED);
    assertThat(rules(r)).containsExactly("R10");
    assertThat(r.errorCode()).isEqualTo(Resolution.UNABLE_TO_RECEIVE_TYPE);
    assertThat(r.unitPath()).containsExactly("Region Test", "Test Hospital", "Emergency Room");
  }

  @Test
  void r10_eerPayloadTypeInTheShortSpelling_isAccepted() {
    assertThat(resolve(EER_UNIT, gln(150)).outcome()).isEqualTo(Outcome.UNCHANGED);
  }

  @Test
  void r11_regionOwner_andHospitalWithoutFdis91_areTooCoarse() {
    Resolution region = resolve(REGION, null);
    assertThat(region.outcome()).isEqualTo(Outcome.FAILED);
    // An owner without an EAN is too coarse (R11), not unknown (R5), with the matching error code.
    assertThat(rules(region)).containsExactly("R11");
    assertThat(region.errorCode()).isEqualTo(Resolution.UNABLE_TO_RECEIVE_TYPE);
    Resolution hospital = resolve(HOSPITAL, gln(102));
    assertThat(hospital.outcome()).isEqualTo(Outcome.FAILED);
    assertThat(rules(hospital)).containsExactly("R11");
    assertThat(hospital.suggestions())
        .extracting(Suggestion::sor)
        .contains(WARD, WARD_B)
        .doesNotContain(LEGACY_ONLY, CLOSED_ONE_STEP, INTERNAL);
  }

  @Test
  void r11_gpOwnerHoldingTheEan_isNotTheRecipient_itsClinicIs() {
    Resolution r = resolve(GP_OWNER, null);
    assertThat(r.outcome()).isEqualTo(Outcome.FAILED);
    assertThat(rules(r)).last().isEqualTo("R11");
    assertThat(r.suggestions()).extracting(Suggestion::sor).containsExactly(GP_CLINIC);
  }

  @Test
  void r12_internalOnlyPostbox_fails() {
    Resolution r = resolve(INTERNAL, null);
    assertThat(r.outcome()).isEqualTo(Outcome.FAILED);
    assertThat(rules(r)).last().isEqualTo("R12");
  }

  @Test
  void r13_unknownCodes_holdOnce_thenFail() {
    String unknown = sor(999);
    Resolution first = resolve(unknown, null);
    assertThat(first.outcome()).isEqualTo(Outcome.HELD);
    assertThat(first.reason()).contains("(R13)");
    Resolution second =
        new AddressResolver(AddressingPolicy.DEFAULTS)
            .resolve(
                new Organisation(unknown, null, null),
                MessageTypes.CARE_COMMUNICATION,
                snapshot,
                TODAY,
                true);
    assertThat(second.outcome()).isEqualTo(Outcome.FAILED);
    assertThat(resolve(null, gln(999)).outcome()).isEqualTo(Outcome.HELD);
  }

  @Test
  void r13_nameOnly_onlySuggests() {
    Resolution r = resolve(AddressingPolicy.DEFAULTS, null, null, "ward a");
    assertThat(r.outcome()).isEqualTo(Outcome.HELD);
    assertThat(r.errorCode()).isEqualTo(Resolution.RECEIVER_MISSING);
    assertThat(r.suggestions()).extracting(Suggestion::sor).contains(WARD, TEAM, SUBTEAM);
    assertThat(r.resolved()).isNull();
    assertThat(resolve(null, null).outcome()).isEqualTo(Outcome.FAILED);
  }

  @Test
  void successorChains_computedAtImport_endAsWalked() {
    var chains = RegistryImporter.successorChains(snapshot, TODAY);
    assertThat(chains.get(CLOSED_ONE_STEP)).isEqualTo("ACTIVE " + WARD);
    assertThat(chains.get(CLOSED_TWO_STEPS)).isEqualTo("ACTIVE " + CLOSED_ONE_STEP + ">" + WARD);
    assertThat(chains.get(LOOP_X)).startsWith("CYCLE");
    assertThat(chains.get(CLOSED_TWO_SUCCESSORS)).startsWith("SEVERAL");
  }
}
