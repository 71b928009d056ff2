package dk.sektorbro.gateway.inbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dk.sektorbro.gateway.inbound.HandoverProperties.HandoverSystem;
import dk.sektorbro.gateway.inbound.HandoverProperties.OnwardConsent;
import dk.sektorbro.gateway.mapping.MappingRegistry;
import dk.sektorbro.gateway.platform.GatewayProperties;
import dk.sektorbro.gateway.support.TestFiles;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which system serves a receiver, and the start-up check of gateway.handover.systems. */
class HandoverConfigTest {

  private static final MappingRegistry MAPPINGS =
      new MappingRegistry(
          new GatewayProperties(
              TestFiles.REPO.resolve("data"), TestFiles.MAPPINGS, null, null, null));

  @Test
  void systemFor_sorMatchWinsOverGlnMatch_unservedReceiverHasNone() {
    Map<String, HandoverSystem> systems = new LinkedHashMap<>();
    systems.put("municipality", system(List.of(), List.of("5790009900016"), null, null));
    systems.put("socialpsykiatri", system(List.of("990011000016008"), List.of(), null, null));
    HandoverProperties properties = new HandoverProperties(systems, List.of());

    assertThat(properties.systemFor("990011000016008", "5790009900016"))
        .hasValueSatisfying(e -> assertThat(e.getKey()).isEqualTo("socialpsykiatri"));
    assertThat(properties.systemFor("990021000016004", "5790009900016"))
        .hasValueSatisfying(e -> assertThat(e.getKey()).isEqualTo("municipality"));
    assertThat(properties.systemFor("990021000016004", "5790009900023")).isEmpty();
  }

  @Test
  void check_namesEveryBadSetting() {
    Map<String, HandoverSystem> systems = new LinkedHashMap<>();
    systems.put("empty", system(List.of(), List.of(), null, null));
    systems.put("planer", system(List.of("990011000016008"), List.of(), "nordby-planer", null));
    systems.put(
        "sp",
        system(
            List.of(),
            List.of("5790009900016"),
            "nordby-socialpsykiatri",
            new OnwardConsent(true, null, "nobody", "gossip", List.of("shoe-size"))));

    assertThatThrownBy(
            () -> HandoverConfigCheck.check(new HandoverProperties(systems, List.of()), MAPPINGS))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("systems.empty: names no SOR code or GLN")
        .hasMessageContaining(
            "systems.planer.mapping: 'nordby-planer' is not a mapping with a reverse section")
        .hasMessageContaining("systems.sp.consent: recipient-sor")
        .hasMessageContaining("systems.sp.consent.information-categories")
        .hasMessageContaining("systems.sp.consent.purpose")
        .hasMessageContaining("systems.sp.consent.recipient-kind");
  }

  @Test
  void check_acceptsTheShippedMappingsAndACompleteConsentRule() {
    HandoverProperties properties =
        new HandoverProperties(
            Map.of(
                "sp",
                system(
                    List.of("990011000016008"),
                    List.of(),
                    "nordby-socialpsykiatri",
                    new OnwardConsent(
                        true,
                        null,
                        "social-psychiatry",
                        "care-coordination",
                        List.of("current-treatment")))),
            List.of());

    HandoverConfigCheck.check(properties, MAPPINGS);
    assertThat(OnwardDisclosure.recipientSor(properties.systems().get("sp")))
        .isEqualTo("990011000016008");
  }

  private static HandoverSystem system(
      List<String> sor, List<String> gln, String mapping, OnwardConsent consent) {
    return new HandoverSystem(sor, gln, null, null, mapping, consent);
  }
}
