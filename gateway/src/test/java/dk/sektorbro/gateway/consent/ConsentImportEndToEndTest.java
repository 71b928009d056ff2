package dk.sektorbro.gateway.consent;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dk.sektorbro.gateway.consent.ConsentRecord.Grantor;
import dk.sektorbro.gateway.consent.ConsentRecord.GrantorType;
import dk.sektorbro.gateway.support.FhirTimes;
import dk.sektorbro.gateway.support.GatewayClient;
import dk.sektorbro.gateway.support.GatewayIntegrationTest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.hl7.fhir.r4.model.Bundle;
import org.junit.jupiter.api.Test;

/**
 * Consent imports as another system sends them: its next export of the same consents (one revoked
 * since, one narrowed under the same id), an export that names one consent twice, and the same
 * export sent by two requests at the same moment (two nodes, or an impatient retry), on the real
 * application and its PostgreSQL database.
 */
class ConsentImportEndToEndTest extends GatewayIntegrationTest {

  private static final String WARD_SOR = "990031000016002";
  private static final List<String> CATEGORIES = List.of("social-conditions", "current-treatment");
  private static final String IMPORT = "/api/v1/consents/$import";
  private static final String FHIR_JSON = "application/fhir+json";
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * The other system's next export says the consent was revoked: the gateway must take the
   * revocation over, else it keeps sending on a consent the citizen withdrew.
   */
  @Test
  void reimportOfAnExportWhereTheConsentIsNowRevoked_revokesIt_andTheNextMessageIsHeld()
      throws Exception {
    String cpr = freshCpr();
    String consentId = consentTo(cpr, WARD_SOR, CATEGORIES);
    ObjectNode revokedElsewhere = fhir(consentId);
    revokedElsewhere.put("status", "inactive");
    ArrayNode extensions = (ArrayNode) revokedElsewhere.get("extension");
    ObjectNode revocation = extensions.addObject();
    revocation.put("url", ConsentProfiles.EXT_REVOCATION);
    ArrayNode parts = revocation.putArray("extension");
    parts
        .addObject()
        .put("url", "revokedAt")
        .put("valueDateTime", FhirTimes.ago(Duration.ofMinutes(5)));
    parts.addObject().put("url", "revokedBy").put("valueString", "Karen Holm");

    GatewayClient.Response imported = importing(JSON.writeValueAsString(revokedElsewhere));

    assertThat(imported.status()).as(imported.body()).isEqualTo(200);
    JsonNode consent = operatorClient().get("/api/v1/consents/" + consentId).json();
    assertThat(consent.get("status").asText()).as(consent.toString()).isEqualTo("revoked");
    assertThat(imported.json().path("revoked").asInt()).as(imported.body()).isEqualTo(1);
    assertThat(consent.get("revocation").get("revokedBy").asText()).isEqualTo("Karen Holm");
    String id =
        submitJson(SOCIAL_PSYCHIATRY, json(socialNote(hyphenated(cpr), freshRecordId("IM"))));
    JsonNode held = awaitState(id, "HELD_CONSENT");
    JsonNode hold = event(held, "consent", "HELD_CONSENT").get("detail");
    assertThat(hold.get("rule").asText()).isEqualTo("no-basis");
    assertThat(hold.get("notes").toString())
        .contains("consent " + consentId + " to this recipient was revoked at");
    JsonNode audit = adminClient().get("/api/v1/audit?action=REVOKE_CONSENT").json();
    assertThat(audit.toString()).contains(consentId);
  }

  /**
   * The other system narrowed a consent but kept its id: the gateway must not keep the wider one
   * and answer "skipped" as if nothing had changed.
   */
  @Test
  void reimportOfTheSameIdWithOtherContent_isRefusedWithAReason_andChangesNothing()
      throws Exception {
    String cpr = freshCpr();
    String consentId = consentTo(cpr, WARD_SOR, CATEGORIES);
    ObjectNode narrowed = fhir(consentId);
    ArrayNode codes = (ArrayNode) narrowed.get("provision").get("code");
    codes.remove(0);
    assertThat(codes).hasSize(1);

    GatewayClient.Response refused = importing(JSON.writeValueAsString(narrowed));

    assertThat(refused.status()).as(refused.body()).isEqualTo(422);
    JsonNode issue = refused.json().get("issue").get(0);
    assertThat(issue.get("expression").get(0).asText()).isEqualTo("entry[0].id");
    assertThat(issue.get("details").get("text").asText()).isEqualTo("registered-differently");
    assertThat(issue.get("diagnostics").asText()).contains("revoke");
    JsonNode consent = operatorClient().get("/api/v1/consents/" + consentId).json();
    assertThat(consent.get("informationCategories")).hasSize(2);
  }

  /**
   * Another system marks a withdrawn consent the FHIR way, status inactive, without this gateway's
   * revocation extension: it must not be registered as a consent in force.
   */
  @Test
  void inactiveConsentWithoutARevocation_isNotRegisteredInForce() throws Exception {
    String cpr = freshCpr();
    ObjectNode inactive = (ObjectNode) JSON.readTree(bundle(consents(cpr, 1)));
    ObjectNode resource = (ObjectNode) inactive.get("entry").get(0).get("resource");
    resource.put("status", "inactive");

    GatewayClient.Response answer = importing(JSON.writeValueAsString(inactive));

    JsonNode listed = operatorClient().get("/api/v1/consents?cpr=" + cpr).json();
    assertThat(listed.toString()).as(answer.body()).doesNotContain("\"status\":\"active\"");
    assertThat(answer.status()).as(answer.body()).isEqualTo(422);
    assertThat(answer.json().get("issue").get(0).get("expression").get(0).asText())
        .isEqualTo("entry[0].status");
  }

  /**
   * A refusal exported with the policy rule OPTOUT but without provision.type (optional in FHIR R4)
   * is a refusal, not a permission; a provision contradicting its policy rule is refused.
   */
  @Test
  void optOutWithoutProvisionType_isARefusal_andAContradictionIsRefused() throws Exception {
    String cpr = freshCpr();
    ObjectNode optOut = (ObjectNode) JSON.readTree(bundle(consents(cpr, 1)));
    ObjectNode resource = (ObjectNode) optOut.get("entry").get(0).get("resource");
    ((ObjectNode) resource.get("provision")).remove("type");
    ((ObjectNode) resource.get("policyRule").get("coding").get(0)).put("code", "OPTOUT");
    String id = resource.get("id").asText();

    GatewayClient.Response answer = importing(JSON.writeValueAsString(optOut));

    assertThat(answer.status()).as(answer.body()).isEqualTo(200);
    JsonNode consent = operatorClient().get("/api/v1/consents/" + id).json();
    assertThat(consent.get("type").asText()).as(consent.toString()).isEqualTo("refusal");

    ObjectNode contradiction = (ObjectNode) JSON.readTree(bundle(consents(freshCpr(), 1)));
    ObjectNode other = (ObjectNode) contradiction.get("entry").get(0).get("resource");
    ((ObjectNode) other.get("policyRule").get("coding").get(0)).put("code", "OPTOUT");
    GatewayClient.Response refused = importing(JSON.writeValueAsString(contradiction));
    assertThat(refused.status()).as(refused.body()).isEqualTo(422);
    assertThat(refused.json().get("issue").get(0).get("expression").get(0).asText())
        .isEqualTo("entry[0].provision.type");
  }

  /** An export naming one consent twice: imported once, not a database error. */
  @Test
  void oneConsentTwiceInOneImport_isImportedOnce() throws Exception {
    String cpr = freshCpr();
    String one = bundle(consents(cpr, 1));
    ObjectNode twice = (ObjectNode) JSON.readTree(one);
    ArrayNode entries = (ArrayNode) twice.get("entry");
    entries.add(entries.get(0).deepCopy());

    GatewayClient.Response imported = importing(JSON.writeValueAsString(twice));

    assertThat(imported.status()).as(imported.body()).isEqualTo(200);
    assertThat(imported.json().get("imported").asInt()).isEqualTo(1);
    assertThat(imported.json().get("skipped").asInt()).isEqualTo(1);
    assertThat(operatorClient().get("/api/v1/consents?cpr=" + cpr).json().get("total").asInt())
        .isEqualTo(1);
  }

  /**
   * Two requests import the same export at the same moment: each consent is registered once, and
   * each request answers 200 (what it imported, what it found registered), never a 500. Several
   * rounds with an export large enough that both requests check before either has inserted.
   */
  @Test
  void theSameExportImportedByTwoRequestsAtOnce_isRegisteredOnce_andNoRequestFails()
      throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      for (int round = 0; round < 3; round++) {
        String cpr = freshCpr();
        int size = 120;
        String export = bundle(consents(cpr, size));
        CyclicBarrier together = new CyclicBarrier(2);
        List<Future<GatewayClient.Response>> answers = new ArrayList<>();
        for (int node = 0; node < 2; node++) {
          answers.add(
              pool.submit(
                  () -> {
                    together.await(30, TimeUnit.SECONDS);
                    return importing(export);
                  }));
        }
        int imported = 0;
        for (Future<GatewayClient.Response> answer : answers) {
          GatewayClient.Response r = answer.get(120, TimeUnit.SECONDS);
          assertThat(r.status()).as("round %d: %s", round, r.body()).isEqualTo(200);
          imported += r.json().get("imported").asInt();
          assertThat(r.json().get("imported").asInt() + r.json().get("skipped").asInt())
              .as(r.body())
              .isEqualTo(size);
        }
        assertThat(imported).as("round %d", round).isEqualTo(size);
        assertThat(operatorClient().get("/api/v1/consents?cpr=" + cpr).json().get("total").asInt())
            .isEqualTo(size);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  // ---- helpers ----

  private GatewayClient.Response importing(String body) {
    return adminClient().post(IMPORT, FHIR_JSON, body.getBytes(StandardCharsets.UTF_8));
  }

  /** The consent as the gateway exports it, to change as the other system's next export would. */
  private ObjectNode fhir(String consentId) throws Exception {
    GatewayClient.Response one = operatorClient().get("/api/v1/consents/" + consentId + "/$fhir");
    assertThat(one.status()).as(one.body()).isEqualTo(200);
    return (ObjectNode) JSON.readTree(one.body());
  }

  /** {@code n} consents of the citizen to the ward, each with an id of its own. */
  private static List<ConsentRecord> consents(String cpr, int n) {
    OffsetDateTime given =
        OffsetDateTime.parse(FhirTimes.ago(Duration.ofDays(2)))
            .withOffsetSameInstant(ZoneOffset.UTC);
    List<ConsentRecord> consents = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      consents.add(
          new ConsentRecord(
              UUID.randomUUID().toString(),
              cpr,
              ConsentRecord.Type.CONSENT,
              new Grantor(GrantorType.CITIZEN, null, null),
              List.of(ConsentRecipient.organisation(WARD_SOR, "Afsnit P3")),
              Set.of(InformationCategory.SOCIAL_CONDITIONS),
              Purpose.CARE_COORDINATION,
              given.plusSeconds(i),
              given.plusMonths(6),
              "Karen Holm",
              null,
              ConsentForm.WRITTEN,
              given,
              null));
    }
    return consents;
  }

  private static String bundle(List<ConsentRecord> consents) {
    ConsentFhirMapper mapper = new ConsentFhirMapper();
    Bundle bundle = new Bundle().setType(Bundle.BundleType.COLLECTION);
    consents.forEach(
        c -> bundle.addEntry().setFullUrl("urn:uuid:" + c.id()).setResource(mapper.toFhir(c)));
    return FhirContext.forR4Cached().newJsonParser().encodeResourceToString(bundle);
  }
}
