package dk.sektorbro.gateway.consent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dk.sektorbro.gateway.platform.RouteIds;
import dk.sektorbro.gateway.support.FhirTimes;
import dk.sektorbro.gateway.support.GatewayClient;
import dk.sektorbro.gateway.support.GatewayIntegrationTest;
import dk.sektorbro.gateway.support.SampleConsents;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.List;
import org.apache.camel.CamelContext;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Consent enforcement on the running application, over real HTTP: held without a basis, released by
 * a covering consent, held after a revocation, and never delivered when the revocation comes while
 * the message waits for delivery. A hold expires after the configured expiry (14 days), which the
 * test moves the hold's age past in the journal; the expiry sweep runs every second here.
 */
class ConsentEndToEndTest extends GatewayIntegrationTest {

  private static final String SOURCE = "nordby-socialpsykiatri";
  private static final String SAMPLE = "status-efter-udskrivelse.json";

  /** Recipient, categories and purpose of that sample. */
  private static final String WARD_SOR = "990031000016002";

  private static final List<String> CATEGORIES = List.of("social-conditions", "current-treatment");
  private static final Duration PIPELINE = Duration.ofSeconds(90);

  @Autowired CamelContext camel;
  @Autowired JdbcClient jdbc;
  @Autowired ConsentProperties consentProperties;

  @Test
  void noBasis_isHeld_andNothingLeaves_thenACoveringConsentReleasesIt() throws IOException {
    String cpr = "0101901234";
    String id = submit(cpr, "E2E-HOLD-1");
    awaitState(id, "HELD_CONSENT");

    JsonNode entry = journalEntry(id);
    JsonNode hold = event(entry, "consent", "HELD_CONSENT");
    assertThat(hold.get("detail").get("decision").asText()).isEqualTo("HOLD");
    assertThat(hold.get("detail").get("rule").asText()).isEqualTo("no-basis");
    assertThat(hold.get("detail").get("purpose").asText()).isEqualTo("care-coordination");
    assertThat(hold.get("detail").get("recipient").get("sor").asText()).isEqualTo(WARD_SOR);
    assertThat(hold.get("detail").toString()).doesNotContain(cpr);
    assertThat(entry.get("messageHeaderId").isNull()).isTrue();
    assertThat(postboxFilesContaining(null, cpr)).isEmpty();

    String consentId = recordConsent(cpr, WARD_SOR, "care-coordination", CATEGORIES);
    awaitState(id, "SENT");
    JsonNode sent = journalEntry(id);
    assertThat(sent.get("history"))
        .anyMatch(
            h ->
                h.get("stage").asText().equals("consent")
                    && h.get("reason")
                        .asText()
                        .equals("released: permitted by consent " + consentId));
    assertThat(sent.get("history"))
        .anyMatch(
            h ->
                h.get("stage").asText().equals("consent-recheck")
                    && h.get("detail").get("consentId").asText().equals(consentId));
    assertThat(postboxFilesContaining(null, cpr)).hasSize(1);
  }

  @Test
  void consentForOtherCategories_doesNotRelease() throws IOException {
    String cpr = "0202902345";
    String id = submit(cpr, "E2E-HOLD-2");
    awaitState(id, "HELD_CONSENT");
    recordConsent(cpr, WARD_SOR, "care-coordination", List.of("social-conditions"));
    recordConsent(
        cpr, "990031000016012", "care-coordination", CATEGORIES); // another unit of the hospital
    // The change was evaluated synchronously with the consent's recording: still held.
    assertThat(journalEntry(id).get("state").asText()).isEqualTo("HELD_CONSENT");
  }

  @Test
  void revokedConsent_thenSubmit_isHeld() throws IOException {
    String cpr = "0303903456";
    String consentId = recordConsent(cpr, WARD_SOR, "care-coordination", CATEGORIES);
    assertThat(
            adminClient()
                .post(
                    "/api/v1/consents/" + consentId + "/revoke",
                    "application/json",
                    bytes("{\"revokedBy\": \"Karen Holm\", \"note\": \"citizen phoned\"}"))
                .status())
        .isEqualTo(200);

    String id = submit(cpr, "E2E-REVOKED-1");
    awaitState(id, "HELD_CONSENT");
    // Not in force, so it permits nothing; but the hold names it, with when and by whom it was
    // revoked.
    assertThat(
            event(journalEntry(id), "consent", "HELD_CONSENT")
                .get("detail")
                .get("notes")
                .toString())
        .contains("consent " + consentId + " to this recipient was revoked at ")
        .contains(" by Karen Holm");
    assertThat(postboxFilesContaining(null, cpr)).isEmpty();
  }

  @Test
  void queuedForDelivery_thenRevoked_isNotDelivered() throws Exception {
    String cpr = "0404904567";
    String consentId = recordConsent(cpr, WARD_SOR, "care-coordination", CATEGORIES);
    String id;
    // The deliver stage's consumer stops: the message passes the gate and validation, then waits in
    // its queue.
    camel.getRouteController().stopRoute(RouteIds.DELIVER);
    try {
      id = submit(cpr, "E2E-QUEUED-1");
      awaitState(id, "VALIDATED");
      revokeConsent(consentId);
    } finally {
      camel.getRouteController().startRoute(RouteIds.DELIVER);
    }
    awaitState(id, "HELD_CONSENT");
    JsonNode entry = journalEntry(id);
    assertThat(event(entry, "consent", "RECEIVED").get("detail").get("consentId").asText())
        .isEqualTo(consentId);
    assertThat(
            event(entry, "consent-recheck", "HELD_CONSENT").get("detail").get("decision").asText())
        .isEqualTo("HOLD");
    assertThat(entry.get("outboxPath").isNull()).isTrue();
    assertThat(postboxFilesContaining(null, cpr)).isEmpty();
  }

  @Test
  void resendStoppedByTheRecheck_andReleasedByANewConsent_isTheSameMessage() throws IOException {
    String cpr = "1010901234";
    String first = recordConsent(cpr, WARD_SOR, "care-coordination", CATEGORIES);
    String id = submit(cpr, "E2E-RESEND-1");
    awaitState(id, "SENT");
    String headerId = journalEntry(id).get("messageHeaderId").asText();
    revokeConsent(first);
    GatewayClient.Response resend =
        adminClient()
            .post(
                "/api/v1/messages/" + id + "/resend",
                "application/json",
                bytes("{\"comment\": \"the ward lost it\"}"));
    assertThat(resend.status()).as(resend.body()).isEqualTo(200);
    awaitState(id, "HELD_CONSENT"); // the recheck before delivery stops the resend

    recordConsent(cpr, WARD_SOR, "care-coordination", CATEGORIES);
    awaitState(id, "SENT");
    JsonNode sent = journalEntry(id);
    assertThat(sent.get("messageHeaderId").asText()).isEqualTo(headerId);
    assertThat(sent.get("history"))
        .anyMatch(
            h ->
                h.get("reason")
                    .asText()
                    .contains("the same message (MessageHeader " + headerId + ")"));
    assertThat(postboxFilesContaining(null, cpr)).hasSize(1);
  }

  @Test
  void revocationRecordedLate_datedBeforeADisclosure_isFlaggedOnTheMessageAndListed()
      throws IOException {
    String cpr = "1111901234";
    String consentId = recordConsent(cpr, WARD_SOR, "care-coordination", CATEGORIES);
    String id = submit(cpr, "E2E-LATE-1");
    awaitState(id, "SENT");
    String anHourAgo = FhirTimes.ago(Duration.ofHours(1));
    GatewayClient.Response revoked =
        adminClient()
            .post(
                "/api/v1/consents/" + consentId + "/revoke",
                "application/json",
                bytes(
                    "{\"revokedBy\": \"Karen Holm\", \"revokedAt\": \""
                        + anHourAgo
                        + "\", \"note\": \"phoned yesterday\"}"));
    assertThat(revoked.status()).as(revoked.body()).isEqualTo(200);

    assertThat(journalEntry(id).get("history"))
        .anyMatch(
            h ->
                h.get("reason")
                    .asText()
                    .startsWith("possible breach: consent " + consentId + " was revoked as of "));
    JsonNode list = operatorClient().get("/api/v1/consents/$late-revocations").json();
    assertThat(list.get("items"))
        .anyMatch(
            i ->
                i.get("journalId").asText().equals(id)
                    && i.get("consentId").asText().equals(consentId));
    // A revocation dated after the disclosure is not a breach.
    String other = recordConsent("1212901234", WARD_SOR, "care-coordination", CATEGORIES);
    String sent = submit("1212901234", "E2E-LATE-2");
    awaitState(sent, "SENT");
    adminClient()
        .post(
            "/api/v1/consents/" + other + "/revoke",
            "application/json",
            bytes("{\"revokedBy\": \"Karen Holm\"}"));
    assertThat(
            operatorClient()
                .get("/api/v1/consents/$late-revocations")
                .json()
                .get("items")
                .toString())
        .doesNotContain(sent);
  }

  @Test
  void refusal_deniesAHeldMessage() throws IOException {
    String cpr = "0505905678";
    String id = submit(cpr, "E2E-REFUSED-1");
    awaitState(id, "HELD_CONSENT");
    GatewayClient.Response refusal =
        adminClient()
            .post(
                "/api/v1/consents",
                "application/json",
                bytes(
                    """
        {"citizenCpr": "%s", "type": "refusal", "givenBy": {"type": "citizen"},
         "recipients": [{"kind": "hospital", "sor": "%s"}], "givenAt": "%s",
         "collectedBy": "Karen Holm", "form": "verbal"}"""
                        .formatted(cpr, WARD_SOR, yesterday())));
    assertThat(refusal.status()).as(refusal.body()).isEqualTo(201);
    awaitState(id, "FAILED");
    JsonNode denied = event(journalEntry(id), "consent", "FAILED");
    assertThat(denied.get("detail").get("decision").asText()).isEqualTo("DENY");
    assertThat(denied.get("detail").get("consentId").asText())
        .isEqualTo(refusal.json().get("id").asText());
  }

  @Test
  void holdWithoutConsent_expires_andIsNeverDelivered() throws IOException {
    String cpr = "0606906789";
    String id = submit(cpr, "E2E-EXPIRE-1");
    awaitState(id, "HELD_CONSENT");
    // Not expired while younger than the hold expiry (the 1 s sweep runs meanwhile) ...
    await()
        .during(Duration.ofSeconds(2))
        .atMost(Duration.ofSeconds(5))
        .until(() -> journalEntry(id).get("state").asText().equals("HELD_CONSENT"));
    // ... then held as long as the expiry: the hold's last change moved back by the expiry in the
    // journal, instead of waiting it out.
    assertThat(
            jdbc.sql(
                    "UPDATE journal_entry SET updated_at = updated_at - :expiry * INTERVAL '1 second'"
                        + " WHERE id = :id AND state = 'HELD_CONSENT'")
                .param("expiry", consentProperties.holdExpiry().toSeconds())
                .param("id", id)
                .update())
        .isEqualTo(1);
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> assertThat(journalEntry(id).get("state").asText()).isEqualTo("EXPIRED"));
    assertThat(event(journalEntry(id), "consent", "EXPIRED").get("reason").asText())
        .contains("never delivered");
    // Even a covering consent now does not bring it back: EXPIRED is terminal.
    recordConsent(cpr, WARD_SOR, "care-coordination", CATEGORIES);
    assertThat(journalEntry(id).get("state").asText()).isEqualTo("EXPIRED");
    assertThat(postboxFilesContaining(null, cpr)).isEmpty();
  }

  @Test
  void api_refusesBadConsents_namingFieldAndRule() {
    String cpr = "0808908901";
    String good = SampleConsents.json(cpr, WARD_SOR, "care-coordination", CATEGORIES);
    assertRefused(
        good.replace("\"purpose\": \"care-coordination\",", ""), "purpose", "purpose-required");
    assertRefused(
        good.replace("\"informationCategories\": [", "\"informationCategories\": [\"diagnoses\", "),
        "informationCategories[0]",
        "known-code");
    assertRefused(good.replace(cpr, "3201908901"), "citizenCpr", "cpr");
    String given = FhirTimes.ago(Duration.ofDays(1));
    String tooLong =
        good.replace(
            "\"givenAt\"",
            "\"validUntil\": \""
                + OffsetDateTime.parse(given).plusYears(1).plusDays(1)
                + "\", \"givenAt\"");
    assertRefused(tooLong, "validUntil", "max-one-year");
    assertThat(operatorClient().post("/api/v1/consents", "application/json", bytes(good)).status())
        .isEqualTo(403);
    assertThat(operatorClient().get("/api/v1/consents?cpr=" + cpr).json().get("total").asInt())
        .isZero();
  }

  /** A blank validUntil is an absent one: the one-year default, not a database error (500). */
  @Test
  void api_blankValidUntil_recordsTheOneYearDefault() {
    String body =
        SampleConsents.json(freshCpr(), WARD_SOR, "care-coordination", CATEGORIES)
            .replace("\"form\": \"written\"", "\"form\": \"written\", \"validUntil\": \"\"");
    assertThat(body).contains("\"validUntil\": \"\"");
    GatewayClient.Response response =
        adminClient().post("/api/v1/consents", "application/json", bytes(body));
    assertThat(response.status()).as(response.body()).isEqualTo(201);
    JsonNode consent = response.json();
    // One year by the Danish calendar and by the offset, whichever ends first (ConsentValidator).
    OffsetDateTime given = OffsetDateTime.parse(consent.get("givenAt").asText());
    OffsetDateTime danishYear =
        given.atZoneSameInstant(ZoneId.of("Europe/Copenhagen")).plusYears(1).toOffsetDateTime();
    assertThat(OffsetDateTime.parse(consent.get("validUntil").asText()))
        .isAtSameInstantAs(
            danishYear.isBefore(given.plusYears(1)) ? danishYear : given.plusYears(1));
  }

  @Test
  void fhirExportAndImport_roundTrip_andReimportChangesNothing() {
    String cpr = "0909909012";
    String consentId = recordConsent(cpr, WARD_SOR, "care-coordination", CATEGORIES);
    GatewayClient.Response bundle = operatorClient().get("/api/v1/consents/$export?cpr=" + cpr);
    assertThat(bundle.status()).isEqualTo(200);
    assertThat(bundle.json().get("entry").get(0).get("resource").get("id").asText())
        .isEqualTo(consentId);
    GatewayClient.Response again =
        adminClient()
            .post("/api/v1/consents/$import", "application/fhir+json", bytes(bundle.body()));
    assertThat(again.json().get("skipped").asInt()).isEqualTo(1);
    assertThat(again.json().get("imported").asInt()).isZero();

    String ndjson =
        operatorClient()
            .get("/api/v1/consents/$export?cpr=" + cpr + "&_format=ndjson")
            .body()
            .replace(consentId, "6b1f7a52-0000-4c1e-9a11-000000000001");
    GatewayClient.Response imported =
        adminClient().post("/api/v1/consents/$import", "application/x-ndjson", bytes(ndjson));
    assertThat(imported.status()).as(imported.body()).isEqualTo(200);
    assertThat(imported.json().get("imported").asInt()).isEqualTo(1);
    assertThat(operatorClient().get("/api/v1/consents?cpr=" + cpr).json().get("total").asInt())
        .isEqualTo(2);
    assertThat(
            operatorClient()
                .get("/api/v1/consents/6b1f7a52-0000-4c1e-9a11-000000000001")
                .json()
                .get("purpose")
                .asText())
        .isEqualTo("care-coordination");

    String withoutPurpose =
        ndjson
            .replace("6b1f7a52-0000-4c1e-9a11-000000000001", "6b1f7a52-0000-4c1e-9a11-000000000002")
            .replaceAll(",\"purpose\":\\[[^\\]]*\\]", "");
    GatewayClient.Response refused =
        adminClient()
            .post("/api/v1/consents/$import", "application/x-ndjson", bytes(withoutPurpose));
    assertThat(refused.status()).as(refused.body()).isEqualTo(422);
    assertThat(refused.json().get("issue").get(0).get("expression").get(0).asText())
        .isEqualTo("entry[0].purpose");
  }

  private void assertRefused(String body, String field, String rule) {
    GatewayClient.Response response =
        adminClient().post("/api/v1/consents", "application/json", bytes(body));
    assertThat(response.status()).as(body).isEqualTo(422);
    assertThat(response.json().get("issue"))
        .as(response.body())
        .anyMatch(
            i ->
                i.get("expression").get(0).asText().equals(field)
                    && i.get("details").get("text").asText().equals(rule));
  }

  // ---- helpers ----

  private String submit(String cpr, String recordId) {
    try {
      String sample = Files.readString(TEST_MESSAGES.resolve(SOURCE).resolve(SAMPLE));
      // Both replaced below, so the record is this test's own citizen's and no other test's.
      assertThat(sample).contains("SP-2026-000101", "050345-5012");
      String body =
          sample
              .replace("SP-2026-000101", recordId)
              .replace("050345-5012", cpr.substring(0, 6) + "-" + cpr.substring(6));
      return submitJson(SOURCE, bytes(body));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private String recordConsent(String cpr, String sor, String purpose, List<String> categories) {
    return SampleConsents.record(adminClient(), cpr, sor, purpose, categories);
  }

  static String yesterday() {
    return FhirTimes.ago(Duration.ofDays(1));
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
