package dk.sektorbro.gateway.careplan;

import static dk.sektorbro.gateway.support.BundleResources.first;
import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.api.EncodingEnum;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dk.sektorbro.gateway.medcom.MedComProfiles;
import dk.sektorbro.gateway.support.GatewayClient;
import dk.sektorbro.gateway.support.MedComIntegrationTest;
import dk.sektorbro.gateway.support.SampleConsents;
import dk.sektorbro.gateway.validation.ChainDefinition;
import dk.sektorbro.gateway.validation.MedComChains;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Communication;
import org.hl7.fhir.r4.model.Composition;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Provenance;
import org.junit.jupiter.api.Test;

/**
 * Issue 7 done-criterion, end to end on the real application: a KIP recorded in the municipal plan
 * system reaches the hospital's postbox as a valid CareCommunication with a readable PDF, and its
 * FHIR document is retrievable (JSON and XML) and valid; version 2 replaces version 1.
 */
class CarePlanEndToEndTest extends MedComIntegrationTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final FhirContext FHIR = FhirContext.forR4Cached();
  private static final String SOURCE = SamplePlans.SOURCE;
  private static final String P3_SOR = "990031000016002";
  private static final String P3_GLN = "5790009900030";
  private static final Pattern STORED =
      Pattern.compile("care-plan document ([0-9a-f-]{36}) stored");

  @Test
  void kip_versions1And2_reachThePostbox_andTheirDocumentsAreRetrievableAndValid()
      throws Exception {
    recordKipConsent("0703495678");

    JsonNode v1 = awaitState(submit(Files.readAllBytes(SamplePlans.path("kip-v1.json"))), "SENT");
    String v1Doc = documentId(v1);
    assertThat(v1.get("history").toString())
        .contains("valid against MedCom medcom.fhir.dk.document#2.0.2 chain");
    assertPostboxMessageCarriesThePdf(v1, "version 1 – 18.11.2026");

    // The document, as JSON (default) and as XML, valid against MedComDocument 2.0.2 + profiles/.
    GatewayClient.Response json = operatorClient().get("/api/v1/documents/" + v1Doc);
    assertThat(json.status()).isEqualTo(200);
    assertThat(json.contentType()).startsWith("application/fhir+json");
    assertThat(
            MedComChains.get()
                .forType(ChainDefinition.CARE_PLAN_DOCUMENT)
                .validate(json.body())
                .errors())
        .isEmpty();
    HttpResponse<String> xml =
        http()
            .send(
                request("/api/v1/documents/" + v1Doc, "operator", OPERATOR_PASSWORD)
                    .header("Accept", "application/fhir+xml")
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(xml.statusCode()).isEqualTo(200);
    assertThat(xml.body()).startsWith("<Bundle xmlns=\"http://hl7.org/fhir\"");
    assertThat(
            MedComChains.get()
                .forType(ChainDefinition.CARE_PLAN_DOCUMENT)
                .validate(xml.body())
                .errors())
        .isEmpty();

    JsonNode v2 = awaitState(submit(Files.readAllBytes(SamplePlans.path("kip-v2.json"))), "SENT");
    String v2Doc = documentId(v2);
    assertThat(v2.get("history").toString()).contains("replaces document " + v1Doc);
    Composition c1 = composition(operatorClient().get("/api/v1/documents/" + v1Doc).body());
    Composition c2 = composition(operatorClient().get("/api/v1/documents/" + v2Doc).body());
    assertThat(c2.getRelatesToFirstRep().getCode())
        .isEqualTo(Composition.DocumentRelationshipType.REPLACES);
    assertThat(c2.getRelatesToFirstRep().getTargetIdentifier().getValue())
        .isEqualTo(c1.getIdentifier().getValue());

    JsonNode versions = operatorClient().get("/api/v1/documents/" + v2Doc + "/versions").json();
    assertThat(versions.get("planNumber").asText()).isEqualTo("KIP-2026-0007");
    assertThat(versions.get("versions")).hasSize(2);
    assertThat(versions.fieldNames())
        .toIterable()
        .containsExactly("source", "planNumber", "planKind", "versions");
    assertThat(versions.get("versions").get(1).fieldNames())
        .toIterable()
        .containsExactly(
            "id",
            "version",
            "planDate",
            "compositionIdentifier",
            "replaces",
            "journalId",
            "createdAt",
            "document",
            "pdf");
    assertThat(versions.get("versions").get(0).get("id").asText()).isEqualTo(v1Doc);
    assertThat(versions.get("versions").get(1).get("replaces").asText()).isEqualTo(v1Doc);

    // The PDF, for operators and admins only.
    HttpResponse<byte[]> pdf =
        http()
            .send(
                request("/api/v1/documents/" + v2Doc + "/pdf", "operator", OPERATOR_PASSWORD)
                    .build(),
                HttpResponse.BodyHandlers.ofByteArray());
    assertThat(pdf.statusCode()).isEqualTo(200);
    assertThat(pdf.headers().firstValue("Content-Type")).hasValue("application/pdf");
    assertThat(PlanPdfTest.text(pdf.body())).contains("version 2 – 12.01.2027");
    assertThat(intakeClient().get("/api/v1/documents/" + v2Doc + "/pdf").status()).isEqualTo(403);
  }

  @Test
  void kip_withoutConsent_isHeld_andNoDocumentGoesOut() throws IOException {
    ObjectNode record = sample("kip-v1.json");
    record.put("journalpostId", "PLAN-KIP-NOCONSENT");
    record.put("plannummer", "KIP-2026-0099");
    ((ObjectNode) record.get("borger")).put("cpr", "110250-5999");
    // Claiming the Psychiatry Act does not help a KIP: it is shared on consent only.
    ((ObjectNode) record.get("samtykke")).put("hjemmel", "psykiatrilov-13c");

    JsonNode entry = awaitState(submit(JSON.writeValueAsBytes(record)), "HELD_CONSENT");

    assertThat(entry.get("outboxPath").isNull()).isTrue();
    assertThat(documentId(entry)).isNotBlank();
  }

  @Test
  void dischargeAgreement_isSentUnderPsychiatryAct_withoutAConsent() throws IOException {
    JsonNode entry =
        awaitState(submit(Files.readAllBytes(SamplePlans.path("udskrivningsaftale.json"))), "SENT");
    assertPostboxMessageCarriesThePdf(entry, "Udskrivningsaftale (psykiatrilovens § 13 a)");
  }

  @Test
  void sameVersionWithOtherContent_isRefused_andAnIdenticalResubmission_isADuplicate()
      throws IOException {
    byte[] original = Files.readAllBytes(SamplePlans.path("kriseplan.json"));
    GatewayClient.Response first =
        intakeClient(SOURCE).post("/api/v1/records/" + SOURCE, "application/json", original);
    assertThat(first.status()).as(first.body()).isEqualTo(202);

    GatewayClient.Response again =
        intakeClient(SOURCE).post("/api/v1/records/" + SOURCE, "application/json", original);
    assertThat(again.json().get("duplicate").asBoolean()).isTrue();
    assertThat(again.json().get("id").asText()).isEqualTo(first.json().get("id").asText());

    ObjectNode changed = sample("kriseplan.json");
    changed.put("journalpostId", "PLAN-KRISE-0011-v1-rettet");
    GatewayClient.Response refused =
        intakeClient(SOURCE)
            .post("/api/v1/records/" + SOURCE, "application/json", JSON.writeValueAsBytes(changed));
    assertThat(refused.status()).isEqualTo(422);
    assertThat(refused.body()).contains("plan-version-exists").doesNotContain("Prøvegaard");
  }

  @Test
  void readingADocumentOrItsPdf_isAnAuditedAccessToPersonalData() throws IOException {
    // The document and the PDF carry the CPR number, names and every free-text part: the same
    // access as GET /api/v1/messages/{id}, which has always been audited.
    ObjectNode record = sample("udskrivningsaftale.json");
    record.put("journalpostId", freshRecordId("PLAN-AUDIT"));
    record.put("plannummer", freshRecordId("UA-AUDIT"));
    ((ObjectNode) record.get("borger")).put("cpr", hyphenated(freshCpr()));
    String id = submit(JSON.writeValueAsBytes(record));
    String document = documentId(journalEntry(id));

    assertThat(operatorClient().get("/api/v1/documents/" + document).status()).isEqualTo(200);
    assertThat(operatorClient().get("/api/v1/documents/" + document + "/pdf").status())
        .isEqualTo(200);

    JsonNode audit = adminClient().get("/api/v1/audit?entryId=" + id).json();
    List<String> reads = new ArrayList<>();
    audit
        .get("items")
        .forEach(
            item -> {
              if (document.equals(item.path("target").asText())) {
                assertThat(item.get("action").asText()).isEqualTo("VIEW_PERSONAL_DATA");
                assertThat(item.get("actor").asText()).isEqualTo("operator");
                reads.add(item.get("reason").asText());
              }
            });
    assertThat(reads)
        .containsExactlyInAnyOrder(
            "opened via api (care-plan document)", "opened via api (care-plan PDF)");
  }

  @Test
  void unknownDocument_isNotFound_withAnOperationOutcome() {
    GatewayClient.Response response =
        operatorClient().get("/api/v1/documents/00000000-0000-4000-8000-000000000000");
    assertThat(response.status()).isEqualTo(404);
    assertThat(response.body()).contains("OperationOutcome");
  }

  private void assertPostboxMessageCarriesThePdf(JsonNode entry, String expectedText)
      throws IOException {
    Path message = Path.of(entry.get("outboxPath").asText());
    assertThat(message).startsWith(outbox(P3_GLN));
    String encoded = Files.readString(message);
    // The postbox format is configurable (XML by default).
    Bundle bundle =
        (Bundle) EncodingEnum.detectEncoding(encoded).newParser(FHIR).parseResource(encoded);
    Communication communication = first(bundle, Communication.class);
    var segment =
        communication.getPayload().stream()
            .filter(p -> p.hasContentAttachment())
            .findFirst()
            .orElseThrow();
    var attachment = segment.getContentAttachment();
    assertThat(attachment.getContentType()).isEqualTo("application/pdf");
    // Honest times: the PDF exists before its segment is sent, and the Provenance says the send
    // time.
    var sentAt =
        ((DateTimeType) segment.getExtensionByUrl(MedComProfiles.DATETIME_EXTENSION).getValue())
            .getValue();
    assertThat(attachment.getCreation()).isBeforeOrEqualTo(sentAt);
    Provenance provenance = first(bundle, Provenance.class);
    assertThat(provenance.getOccurredDateTimeType().getValue()).isEqualTo(provenance.getRecorded());
    assertThat(provenance.getRecorded()).isEqualTo(sentAt);
    assertThat(
            PlanPdfTest.text(
                Base64.getDecoder().decode(attachment.getDataElement().getValueAsString())))
        .contains(expectedText);
  }

  private void recordKipConsent(String cpr) {
    SampleConsents.record(
        adminClient(),
        cpr,
        P3_SOR,
        "care-coordination",
        List.of("care-plans", "current-treatment", "substance-misuse", "social-conditions"));
  }

  private ObjectNode sample(String name) throws IOException {
    return (ObjectNode) JSON.readTree(SamplePlans.path(name).toFile());
  }

  private String submit(byte[] record) {
    return submitJson(SOURCE, record);
  }

  private static String documentId(JsonNode entry) {
    Matcher m = STORED.matcher(entry.get("history").toString());
    assertThat(m.find()).as("a 'document stored' event in the history").isTrue();
    return m.group(1);
  }

  private static Composition composition(String bundleJson) {
    return (Composition)
        FHIR.newJsonParser()
            .parseResource(Bundle.class, bundleJson)
            .getEntryFirstRep()
            .getResource();
  }

  private HttpClient http() {
    return HttpClient.newHttpClient();
  }

  private HttpRequest.Builder request(String path, String user, String password) {
    return HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
        .header(
            "Authorization",
            "Basic "
                + Base64.getEncoder()
                    .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8)));
  }
}
