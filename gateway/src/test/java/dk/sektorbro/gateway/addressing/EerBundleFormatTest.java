package dk.sektorbro.gateway.addressing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dk.sektorbro.gateway.medcom.MessageTypes;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The EHMI Endpoint Register bundle reader: GLN on the Endpoint, inheritance materialised by
 * references.
 */
class EerBundleFormatTest {

  static final String CARE_URI =
      "urn:dk:healthcare:medcom:messaging:fhir:structuredefinition::carecommunication-message"
          + "##urn:dk:medcom:fhir:carecommunication-message::5.0";

  private final SnapshotBuilder builder = new SnapshotBuilder();

  static String org(
      String id, String sor, String level, String name, String partOf, String... endpointRefs) {
    StringBuilder endpoints = new StringBuilder();
    for (String ref : endpointRefs) {
      endpoints.append(endpoints.length() == 0 ? "" : ",").append(ref);
    }
    return "{\"resource\":{\"resourceType\":\"Organization\",\"id\":\""
        + id
        + "\","
        + "\"identifier\":[{\"system\":\"urn:oid:1.2.208.176.1.1\",\"value\":\""
        + sor
        + "\"}],"
        + "\"type\":[{\"coding\":[{\"system\":\"http://medcomehmi.dk/ig/terminology/CodeSystem/eer-sor-organization-type\","
        + "\"code\":\""
        + level
        + "\"}]}],\"name\":\""
        + name
        + "\""
        + (partOf == null ? "" : ",\"partOf\":" + partOf)
        + ",\"endpoint\":["
        + endpoints
        + "]}}";
  }

  static String endpoint(String id, String system, String gln, String status, String payload) {
    return "{\"resource\":{\"resourceType\":\"Endpoint\",\"id\":\""
        + id
        + "\","
        + "\"identifier\":[{"
        + (system == null
            ? "\"type\":{\"coding\":[{\"code\":\"GLN\"}]}"
            : "\"system\":\"" + system + "\"")
        + ",\"value\":\""
        + gln
        + "\"}],\"status\":\""
        + status
        + "\","
        + "\"period\":{\"start\":\"2025-01-01\"},\"payloadType\":[{\"coding\":[{\"code\":\""
        + payload
        + "\"}]}]}}";
  }

  private RegistrySnapshot read(String json) {
    new EerBundleFormat()
        .read(
            new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)),
            builder,
            new ImportProgress("t", "EER_FHIR", OffsetDateTime.now()));
    return TestRegistry.snapshot("s", "EER_FHIR", null, builder.build());
  }

  @Test
  void organizationsAndEndpoints_becomeUnitsAndPostboxes_withInheritanceFromTheParentsReference() {
    String bundle =
        "{\"resourceType\":\"Bundle\",\"type\":\"collection\",\"timestamp\":\"2026-11-01T00:00:00Z\","
            + "\"entry\":["
            + org("ie", "990111000016009", "IO", "Region Nord", null)
            + ","
            + org(
                "si",
                "990121000016000",
                "HI",
                "Psykiatrien",
                "{\"reference\":\"Organization/ie\"}",
                "{\"reference\":\"Endpoint/ep1\"}")
            // The child references the parent's endpoint by GLN identifier: inherited, not owned.
            + ","
            + org(
                "oe",
                "990031000016002",
                "OE",
                "Afsnit P3",
                "{\"identifier\":{\"system\":\"urn:oid:1.2.208.176.1.1\",\"value\":\"990121000016000\"}}",
                "{\"identifier\":{\"value\":\"5790009900085\"}}")
            + ","
            + org(
                "oe2",
                "990041000016009",
                "OE",
                "Udgående team",
                "{\"reference\":\"Organization/si\"}",
                "{\"reference\":\"Endpoint/ep2\"}")
            + ","
            + endpoint("ep1", "https://www.gs1.org/gln", "5790009900085", "active", CARE_URI)
            + ","
            + endpoint("ep2", null, "5790009900047", "suspended", CARE_URI)
            + ",{\"resource\":{\"resourceType\":\"Device\",\"id\":\"ap\"}}"
            + "]}";
    RegistrySnapshot s = read(bundle);
    assertThat(s.units()).hasSize(4);
    assertThat(s.unit("990111000016009").orElseThrow().level()).isEqualTo(RegistryUnit.Level.IE);
    RegistryUnit child = s.unit("990031000016002").orElseThrow();
    assertThat(child.eanInherited()).isTrue();
    assertThat(child.ownGln()).isNull();
    assertThat(child.effectiveGln()).isEqualTo("5790009900085");
    assertThat(s.locations("5790009900085"))
        .singleElement()
        .satisfies(
            l -> {
              assertThat(l.ownerSorId()).isEqualTo("990121000016000");
              assertThat(l.payloadTypes()).containsExactly(CARE_URI);
              assertThat(l.nonActive()).isFalse();
            });
    assertThat(s.locations("5790009900047"))
        .singleElement()
        .satisfies(l -> assertThat(l.nonActive()).isTrue());
    assertThat(builder.build().rejections()).extracting(Rejection::item).containsExactly("entry 7");
    assertThat(
            MessageTypes.CARE_COMMUNICATION.acceptedBy(
                Set.of(), s.locations("5790009900085").get(0).payloadTypes()))
        .isTrue();
  }

  @Test
  void bothGlnSystems_areRead() {
    String bundle =
        "{\"resourceType\":\"Bundle\",\"entry\":["
            + org("a", "990011000016008", "SI", "A", null, "{\"reference\":\"Endpoint/e1\"}")
            + ","
            + org("b", "990021000016004", "SI", "B", null, "{\"reference\":\"Endpoint/e2\"}")
            + ","
            + endpoint("e1", "http://www.gs1.org/gln", "5790009900016", "active", CARE_URI)
            + ","
            + endpoint("e2", "https://www.gs1.org/gln", "5790009900023", "active", CARE_URI)
            + "]}";
    RegistrySnapshot s = read(bundle);
    assertThat(s.unit("990011000016008").orElseThrow().effectiveGln()).isEqualTo("5790009900016");
    assertThat(s.unit("990021000016004").orElseThrow().effectiveGln()).isEqualTo("5790009900023");
  }

  @Test
  void organizationWithoutSorOrLevel_andEndpointWithoutGln_areRejected() {
    String bundle =
        "{\"resourceType\":\"Bundle\",\"entry\":["
            + "{\"resource\":{\"resourceType\":\"Organization\",\"id\":\"x\",\"name\":\"No SOR\"}}"
            + ","
            + org("y", "990011000016008", "XX", "Odd level", null)
            + ",{\"resource\":{\"resourceType\":\"Endpoint\",\"id\":\"e\",\"status\":\"active\"}}]}";
    read(bundle);
    assertThat(builder.build().rejections())
        .extracting(Rejection::item)
        .containsExactlyInAnyOrder("Organization x", "Organization y", "Endpoint e");
  }

  @Test
  void malformedJson_orNotABundle_failsTheImport() {
    assertThatThrownBy(() -> read("{\"resourceType\":\"Bundle\",\"entry\":[{"))
        .isInstanceOf(ImportFailure.class);
    assertThatThrownBy(() -> read("{\"resourceType\":\"Patient\"}"))
        .isInstanceOf(ImportFailure.class)
        .hasMessageContaining("Bundle");
    assertThatThrownBy(() -> read("[]")).isInstanceOf(ImportFailure.class);
  }

  @Test
  void bundleTimestamp_isTheSnapshotDate() {
    LocalDate date =
        new EerBundleFormat()
            .read(
                new ByteArrayInputStream(
                    "{\"resourceType\":\"Bundle\",\"timestamp\":\"2026-10-31T23:00:00+01:00\",\"entry\":[]}"
                        .getBytes(StandardCharsets.UTF_8)),
                builder,
                new ImportProgress("t", "EER_FHIR", OffsetDateTime.now()));
    assertThat(date).isEqualTo(LocalDate.of(2026, 10, 31));
  }
}
