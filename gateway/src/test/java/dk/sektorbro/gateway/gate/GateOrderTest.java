package dk.sektorbro.gateway.gate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dk.sektorbro.gateway.journal.JournalEntry;
import dk.sektorbro.gateway.record.CanonicalRecord;
import java.util.List;
import org.junit.jupiter.api.Test;

class GateOrderTest {

  @Test
  void gates_inAnyBeanOrder_runAddressingBeforeConsent() {
    List<OutboundGate> sorted = GateOrder.gates(List.of(gate("consent"), gate("addressing")));
    assertThat(sorted).extracting(OutboundGate::name).containsExactly("addressing", "consent");
  }

  @Test
  void guards_inAnyBeanOrder_recheckConsentBeforeAddressing() {
    List<DeliveryGuard> sorted =
        GateOrder.guards(
            List.of(guard("plan-version"), guard("addressing"), guard("consent-recheck")));
    assertThat(sorted)
        .extracting(DeliveryGuard::name)
        .containsExactly("consent-recheck", "addressing", "plan-version");
  }

  @Test
  void gate_withoutPlace_isRefused() {
    assertThatThrownBy(() -> GateOrder.gates(List.of(gate("addressing"), gate("budget"))))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("'budget' has no place");
  }

  private static OutboundGate gate(String name) {
    return new OutboundGate() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public GateDecision check(JournalEntry entry, CanonicalRecord record) {
        return GateDecision.pass(name, null);
      }
    };
  }

  private static DeliveryGuard guard(String name) {
    return new DeliveryGuard() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public GateDecision recheck(JournalEntry entry) {
        return GateDecision.pass(name, null);
      }
    };
  }
}
