package dk.sektorbro.gateway.addressing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import ca.uhn.fhir.context.FhirContext;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dk.sektorbro.gateway.gate.GateDecision;
import dk.sektorbro.gateway.journal.Channel;
import dk.sektorbro.gateway.journal.JournalEntry;
import dk.sektorbro.gateway.journal.MessageState;
import dk.sektorbro.gateway.journal.Translation;
import dk.sektorbro.gateway.medcom.FhirMessageCodec;
import dk.sektorbro.gateway.medcom.MedComProfiles;
import dk.sektorbro.gateway.platform.GatewayProperties.FhirFormat;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.Set;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.MessageHeader;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.Test;

/** R15 at delivery: journal, message and active snapshot must agree, or nothing is written. */
class AddressingDeliveryGuardTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final FhirMessageCodec CODEC = new FhirMessageCodec(FhirContext.forR4Cached());
  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2026-11-23T10:00:00Z"), ZoneOffset.UTC);

  private final RegistryService registry = mock(RegistryService.class);
  private final AddressingDeliveryGuard guard =
      new AddressingDeliveryGuard(
          registry,
          new AddressingProperties(null, Set.of("R1", "R2", "R5", "R6", "R8"), 1, 5, null, null),
          CLOCK,
          JSON);

  private static String message(String sor, String gln) {
    Organization receiver = new Organization();
    receiver.setId("receiver");
    receiver.addIdentifier().setSystem(MedComProfiles.SOR_SYSTEM).setValue(sor);
    receiver.addIdentifier().setSystem(MedComProfiles.GLN_SYSTEM).setValue(gln);
    MessageHeader header = new MessageHeader();
    header.setId("header");
    header.addDestination().setReceiver(new Reference("Organization/receiver"));
    Bundle bundle = new Bundle().setType(Bundle.BundleType.MESSAGE);
    bundle.addEntry().setFullUrl("https://example.org/MessageHeader/header").setResource(header);
    bundle.addEntry().setFullUrl("https://example.org/Organization/receiver").setResource(receiver);
    return CODEC.encode(bundle, FhirFormat.XML);
  }

  private static JournalEntry entry(String sor, String gln, String message) {
    OffsetDateTime now = OffsetDateTime.now(CLOCK);
    return JournalEntry.received("id", "src", "rec", Channel.REST, null, 0, now, null)
        .withTranslation(
            MessageState.VALIDATED,
            new Translation(
                "CareCommunication", "header", "bundle", message, "XML", sor, gln, "name"));
  }

  @Test
  void consistentEnvelope_confirmedBySnapshot_passes() {
    when(registry.active()).thenReturn(Optional.of(AddressResolverTest.registry()));
    String sor = AddressResolverTest.WARD;
    String gln = AddressResolverTest.WARD_GLN;
    assertThat(guard.recheck(entry(sor, gln, message(sor, gln))).kind())
        .isEqualTo(GateDecision.Kind.PASS);
  }

  @Test
  void messageNamingAnotherReceiver_fails() {
    when(registry.active()).thenReturn(Optional.of(AddressResolverTest.registry()));
    GateDecision decision =
        guard.recheck(
            entry(
                AddressResolverTest.WARD,
                AddressResolverTest.WARD_GLN,
                message(AddressResolverTest.WARD_B, Codes.gln(112))));
    assertThat(decision.kind()).isEqualTo(GateDecision.Kind.FAIL);
    assertThat(decision.reason()).contains("R15");
  }

  @Test
  void postboxTheSnapshotNowRejects_isNotDelivered() {
    when(registry.active()).thenReturn(Optional.of(AddressResolverTest.registry()));
    String sor = AddressResolverTest.LEGACY_ONLY;
    String gln = Codes.gln(114);
    GateDecision decision = guard.recheck(entry(sor, gln, message(sor, gln)));
    assertThat(decision.kind()).isEqualTo(GateDecision.Kind.FAIL);
    assertThat(decision.reason()).contains(Resolution.UNABLE_TO_RECEIVE_TYPE);
  }

  @Test
  void closedSinceTheGate_isHeld_notRedirectedSilently() {
    when(registry.active()).thenReturn(Optional.of(AddressResolverTest.registry()));
    String sor = AddressResolverTest.CLOSED_ONE_STEP;
    String gln = Codes.gln(106);
    GateDecision decision = guard.recheck(entry(sor, gln, message(sor, gln)));
    assertThat(decision.kind()).isEqualTo(GateDecision.Kind.HOLD);
    assertThat(decision.holdState()).isEqualTo(MessageState.HELD_ADDRESS);
  }

  /**
   * The registry was re-imported while the message waited, and the ward's EAN is now also
   * registered to a municipal unit: the postbox may be the other organisation's, so it is held with
   * both owners to choose from, not delivered.
   */
  @Test
  void postboxNowOwnedByAnotherUnitToo_isHeld_withBothOwners() throws Exception {
    when(registry.active()).thenReturn(Optional.of(SharedPostboxTest.registry()));
    String sor = SharedPostboxTest.WARD;
    String gln = SharedPostboxTest.SHARED;
    GateDecision decision = guard.recheck(entry(sor, gln, message(sor, gln)));
    assertThat(decision.kind()).isEqualTo(GateDecision.Kind.HOLD);
    assertThat(decision.holdState()).isEqualTo(MessageState.HELD_ADDRESS);
    assertThat(decision.reason()).contains("(R6)", SharedPostboxTest.HOME_CARE);
    JsonNode detail = JSON.readTree(decision.detail());
    assertThat(detail.get("suggestions").findValuesAsText("sor"))
        .containsExactlyInAnyOrder(SharedPostboxTest.WARD, SharedPostboxTest.HOME_CARE);
  }

  /**
   * The ward had the hospital's postbox when the gate passed it and has one of its own in the
   * snapshot now (moved in the tree, or given its own EAN). The hold at delivery carried no detail:
   * the history could not say which snapshot, which rule, or which postbox the ward has now.
   */
  @Test
  void postboxChangedSinceTheGate_isHeld_andExplainedByRuleSnapshotAndSuggestions()
      throws Exception {
    RegistrySnapshot snapshot = AddressResolverTest.registry();
    when(registry.active()).thenReturn(Optional.of(snapshot));
    String sor = AddressResolverTest.WARD;
    String gln = Codes.gln(102);
    GateDecision decision = guard.recheck(entry(sor, gln, message(sor, gln)));
    assertThat(decision.kind()).isEqualTo(GateDecision.Kind.HOLD);
    assertThat(decision.reason()).contains("R7");
    JsonNode detail = JSON.readTree(decision.detail());
    assertThat(detail.get("snapshotId").asText()).isEqualTo(snapshot.info().id());
    assertThat(detail.get("before").get("gln").asText()).isEqualTo(gln);
    assertThat(detail.get("rules").findValuesAsText("rule")).containsExactly("R7");
    assertThat(detail.get("suggestions").findValuesAsText("gln"))
        .contains(AddressResolverTest.WARD_GLN);
    assertThat(detail.get("unitPath").size()).isPositive();
  }

  @Test
  void noSnapshot_holds() {
    when(registry.active()).thenReturn(Optional.empty());
    assertThat(guard.recheck(entry("a", "b", "c")).kind()).isEqualTo(GateDecision.Kind.HOLD);
  }
}
