package dk.sektorbro.gateway.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dk.sektorbro.gateway.support.GatewayClient;
import dk.sektorbro.gateway.support.GatewayIntegrationTest;
import java.io.IOException;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;

/**
 * An address registry upload decides which postbox every later message goes to, so it is an
 * administrator's action like an edit or a consent import: the audit log must say who uploaded
 * which snapshot. The test uploads the synthetic registry the shared application already runs on (a
 * new snapshot with the same units), so the other classes are not disturbed.
 */
class RegistryUploadAuditEndToEndTest extends GatewayIntegrationTest {

  @Test
  void aRegistryUpload_isAuditedWithTheAdminAndTheSnapshot() throws IOException {
    byte[] synthetic = Files.readAllBytes(REPO.resolve("registry/synthetic-sor.xml"));

    GatewayClient.Response uploaded =
        adminClient().post("/api/v1/registry/snapshots", "application/xml", synthetic);

    assertThat(uploaded.status()).as(uploaded.body()).isEqualTo(201);
    String snapshot = uploaded.json().get("snapshot").get("id").asText();
    GatewayClient.Response audit =
        client("auditor", AUDITOR_PASSWORD).get("/api/v1/audit?action=IMPORT_REGISTRY&size=50");
    assertThat(audit.status()).as(audit.body()).isEqualTo(200);
    JsonNode entry = null;
    for (JsonNode item : audit.json().get("items")) {
      if (snapshot.equals(item.path("target").asText())) {
        entry = item;
      }
    }
    assertThat(entry).as(audit.body()).isNotNull();
    assertThat(entry.get("actor").asText()).isEqualTo("admin");
    assertThat(entry.get("detail").asText())
        .contains("SOR_XML")
        .contains("units=")
        .contains("sha256=");
  }

  /**
   * An auditor pages through one action's records by the page's total: it must count those records,
   * not the whole audit log (it did: a filter of one registry upload said total 40).
   */
  @Test
  void theTotalOfAFilteredAuditPage_countsTheFilteredRecords() {
    GatewayClient auditor = client("auditor", AUDITOR_PASSWORD);

    JsonNode page = auditor.get("/api/v1/audit?action=IMPORT_REGISTRY&size=200").json();
    JsonNode none =
        auditor.get("/api/v1/audit?entryId=00000000-0000-0000-0000-00000000beef").json();

    assertThat(page.get("items").size()).as(page.toString()).isLessThan(200);
    assertThat(page.get("total").asLong()).as(page.toString()).isEqualTo(page.get("items").size());
    assertThat(none.get("total").asLong()).as(none.toString()).isZero();
  }
}
