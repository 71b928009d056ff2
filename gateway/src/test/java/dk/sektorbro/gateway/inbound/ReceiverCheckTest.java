package dk.sektorbro.gateway.inbound;

import static org.assertj.core.api.Assertions.assertThat;

import dk.sektorbro.gateway.addressing.RegistryLocation;
import dk.sektorbro.gateway.addressing.RegistrySnapshot;
import dk.sektorbro.gateway.addressing.RegistryUnit;
import dk.sektorbro.gateway.addressing.SnapshotBuilder;
import dk.sektorbro.gateway.addressing.SnapshotInfo;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * A received message's receiver SOR code and EAN must be one unit in the registry: the unit's own
 * or inherited postbox. Built through the importers' {@link SnapshotBuilder} (which computes the
 * inherited EAN), with the synthetic registry's Nordby and Region Nord codes.
 */
class ReceiverCheckTest {

  private static final String MUNICIPALITY = "990071000016000";
  private static final String SOCIAL_PSYCHIATRY = "990011000016008";
  private static final String SOCIAL_PSYCHIATRY_GLN = "5790009900016";
  private static final String TEAM = "990081000016003";
  private static final String WARD = "990031000016002";
  private static final String WARD_GLN = "5790009900030";

  private static final RegistrySnapshot SNAPSHOT = snapshot();

  @Test
  void theUnitsOwnPostbox_orTheOneItInherits_isOneUnit() {
    assertThat(SNAPSHOT.unit(TEAM).orElseThrow().effectiveGln()).isEqualTo(SOCIAL_PSYCHIATRY_GLN);
    assertThat(ReceiverCheck.contradiction(SOCIAL_PSYCHIATRY, SOCIAL_PSYCHIATRY_GLN, SNAPSHOT))
        .isEmpty();
    assertThat(ReceiverCheck.contradiction(TEAM, SOCIAL_PSYCHIATRY_GLN, SNAPSHOT)).isEmpty();
  }

  @Test
  void ourEanWithAnotherOrganisationsSorCode_orTheReverse_contradictEachOther() {
    assertThat(ReceiverCheck.contradiction(WARD, SOCIAL_PSYCHIATRY_GLN, SNAPSHOT))
        .hasValueSatisfying(
            reason ->
                assertThat(reason)
                    .contains(WARD, SOCIAL_PSYCHIATRY_GLN, "the postbox of SOR " + WARD)
                    .contains("is EAN " + WARD_GLN)
                    .contains("test-snapshot"));
    assertThat(ReceiverCheck.contradiction(SOCIAL_PSYCHIATRY, WARD_GLN, SNAPSHOT)).isPresent();
  }

  @Test
  void aSorCodeTheRegistryDoesNotKnow_orNoSnapshot_orOneIdentifierOnly_isNoContradiction() {
    assertThat(ReceiverCheck.contradiction("990991000016004", SOCIAL_PSYCHIATRY_GLN, SNAPSHOT))
        .isEmpty();
    assertThat(ReceiverCheck.contradiction(WARD, SOCIAL_PSYCHIATRY_GLN, null)).isEmpty();
    assertThat(ReceiverCheck.contradiction(null, SOCIAL_PSYCHIATRY_GLN, SNAPSHOT)).isEmpty();
    assertThat(ReceiverCheck.contradiction(WARD, null, SNAPSHOT)).isEmpty();
  }

  private static RegistrySnapshot snapshot() {
    SnapshotBuilder builder = new SnapshotBuilder();
    builder.unit(unit(MUNICIPALITY, RegistryUnit.Level.IE, null, null, false));
    builder.unit(
        unit(SOCIAL_PSYCHIATRY, RegistryUnit.Level.SI, MUNICIPALITY, SOCIAL_PSYCHIATRY_GLN, false));
    builder.unit(unit(TEAM, RegistryUnit.Level.OE, SOCIAL_PSYCHIATRY, null, true));
    builder.unit(unit(WARD, RegistryUnit.Level.SI, null, WARD_GLN, false));
    for (String[] box :
        List.of(
            new String[] {SOCIAL_PSYCHIATRY_GLN, SOCIAL_PSYCHIATRY},
            new String[] {WARD_GLN, WARD})) {
      builder.location(
          new RegistryLocation(
              box[0], box[1], false, false, null, Set.of("FDIS91", "FCTL"), Set.of(), null));
    }
    SnapshotBuilder.Result result = builder.build();
    return new RegistrySnapshot(
        new SnapshotInfo(
            "test-snapshot",
            "TEST",
            LocalDate.of(2026, 12, 7),
            OffsetDateTime.now(),
            "hash",
            result.units().size(),
            result.locations().size(),
            0,
            true),
        result.units(),
        result.locations());
  }

  private static RegistryUnit unit(
      String sor, RegistryUnit.Level level, String parent, String ownGln, boolean inherited) {
    return new RegistryUnit(
        sor, level, parent, sor, null, null, null, null, null, null, List.of(), inherited, ownGln,
        null, null);
  }
}
