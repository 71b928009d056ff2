package dk.sektorbro.gateway.inbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

import ca.uhn.fhir.context.FhirContext;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dk.sektorbro.gateway.admin.ConsoleSession;
import dk.sektorbro.gateway.delivery.envelope.EnvelopeFacts;
import dk.sektorbro.gateway.medcom.MedComCodes;
import dk.sektorbro.gateway.record.CanonicalRecord;
import dk.sektorbro.gateway.support.GatewayClient.Response;
import dk.sektorbro.gateway.support.GatewayIntegrationTest;
import dk.sektorbro.gateway.support.SampleConsents;
import dk.sektorbro.gateway.validation.MedComChains;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.xpath.XPathFactory;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Communication;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.MessageHeader;
import org.hl7.fhir.r4.model.Provenance;
import org.hl7.fhir.r4.model.StringType;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * A hospital's CareCommunication reaches the municipal system configured for its receiver: the
 * home-care system (by GLN, own folder) gets it over HTTP in its XML format and as FHIR; the
 * social-psychiatry system (by SOR, consent required for onward disclosure) keeps a folder-dropped
 * message without consent, acknowledged ok all the same, and gets it in its JSON format once a
 * covering consent is recorded.
 */
// Own properties (handover systems): no other class shares this application; closed after the
// class.
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
class HandoverEndToEndTest extends GatewayIntegrationTest {

  private static final FhirContext FHIR = FhirContext.forR4Cached();
  private static final Path HOME_CARE_FOLDER = tempFolder();

  /** The municipality, the organisation above its social psychiatry in the synthetic registry. */
  private static final String NORDBY_KOMMUNE = "990071000016000";

  @Autowired JdbcClient jdbc;

  @DynamicPropertySource
  static void handoverSystems(DynamicPropertyRegistry r) {
    // The MedCom packages: messages and the gateway's acknowledgements are validated by the
    // official chains.
    r.add("gateway.conformance.package-dir", MedComChains.PACKAGES::toString);
    String hc = "gateway.handover.systems.hjemmepleje.";
    r.add(hc + "gln[0]", () -> HospitalMessages.HOME_CARE.gln());
    r.add(hc + "folder", HOME_CARE_FOLDER::toString);
    r.add(hc + "mapping", () -> "nordby-hjemmepleje");
    String sp = "gateway.handover.systems.socialpsykiatri.";
    r.add(sp + "sor[0]", () -> HospitalMessages.SOCIAL_PSYCHIATRY.sor());
    r.add(sp + "fhir-format", () -> "JSON");
    r.add(sp + "mapping", () -> "nordby-socialpsykiatri");
    r.add(sp + "consent.required", () -> "true");
    r.add(sp + "consent.recipient-kind", () -> "social-psychiatry");
    r.add(sp + "consent.purpose", () -> "care-coordination");
    r.add(sp + "consent.information-categories[0]", () -> "current-treatment");
    r.add(sp + "consent.information-categories[1]", () -> "social-conditions");
    r.add("gateway.handover.kept.sweep-interval", () -> "1s");
  }

  @Test
  void overHttp_toHomeCare_handedOverInItsXmlFormatAndAsFhir_acknowledgedOk() throws Exception {
    Bundle message =
        HospitalMessages.bundle(
            HospitalMessages.record("1711538456", HospitalMessages.HOME_CARE, "medicine"),
            Clock.systemUTC());
    String id = EnvelopeFacts.of(message).messageHeaderId();
    String json = FHIR.newJsonParser().encodeResourceToString(message);

    Response response =
        intakeClient()
            .post(
                "/fhir/$process-message",
                "application/fhir+json",
                json.getBytes(StandardCharsets.UTF_8));

    assertThat(response.status()).isEqualTo(200);
    assertThat(responseCode(FHIR.newJsonParser().parseResource(Bundle.class, response.body())))
        .isEqualTo("ok");
    assertThat(HOME_CARE_FOLDER.resolve(id + ".json")).hasContent(json);
    var doc =
        DocumentBuilderFactory.newInstance()
            .newDocumentBuilder()
            .parse(
                new ByteArrayInputStream(
                    Files.readAllBytes(HOME_CARE_FOLDER.resolve(id + ".nordby-hjemmepleje.xml"))));
    var xpath = XPathFactory.newInstance().newXPath();
    assertThat(xpath.evaluate("/besked/@id", doc)).isEqualTo(id);
    assertThat(xpath.evaluate("/besked/@type", doc)).isEqualTo("MEDICIN");
    assertThat(xpath.evaluate("/besked/borger/cpr", doc)).isEqualTo("1711538456");
    assertThat(xpath.evaluate("/besked/indhold", doc)).isEqualTo(HospitalMessages.TEXT);
    assertThat(xpath.evaluate("/besked/bilag/@type", doc)).isEqualTo("image/png");
    assertThat(xpath.evaluate("/besked/bilag", doc)).isEqualTo(HospitalMessages.PNG);

    JsonNode row = inboundRow(id);
    assertThat(row.path("handoverSystem").asText()).isEqualTo("hjemmepleje");
    assertThat(row.path("handoverStatus").asText()).isEqualTo("HANDED_OVER");
    assertThat(row.path("reason").asText())
        .contains(
            "handed over to hjemmepleje", id + ".nordby-hjemmepleje.xml", "no consent required");
    assertThat(row.has("citizenCpr")).isFalse();
  }

  @Test
  void
      inFolder_toSocialPsychiatry_withoutConsent_keptWithTheReason_ackOk_thenHandedOverOnceConsentIsRecorded()
          throws IOException {
    String cpr = "0101485555";
    Bundle message =
        HospitalMessages.bundle(
            HospitalMessages.record(cpr, HospitalMessages.SOCIAL_PSYCHIATRY, "discharge"),
            Clock.systemUTC());
    String id = EnvelopeFacts.of(message).messageHeaderId();
    dropInbound(
        FHIR.newXmlParser().encodeResourceToString(message).getBytes(StandardCharsets.UTF_8));

    // Received, so acknowledged ok in the hospital's postbox, although the system may not have it
    // yet.
    Path acks = outbox(HospitalMessages.HOSPITAL.gln());
    await().atMost(Duration.ofSeconds(60)).until(() -> !files(acks).isEmpty());
    Bundle ack =
        FHIR.newXmlParser().parseResource(Bundle.class, Files.readString(files(acks).get(0)));
    assertThat(((MessageHeader) ack.getEntryFirstRep().getResource()).getResponse().getIdentifier())
        .isEqualTo(id);
    assertThat(responseCode(ack)).isEqualTo("ok");

    Path folder = dataDir().resolve("handover").resolve("socialpsykiatri");
    // The application is shared with the other tests of this class: only this message's files.
    assertThat(files(folder)).noneMatch(f -> f.getFileName().toString().startsWith(id));
    JsonNode kept = adminClient().get("/api/v1/inbound-messages?handover=KEPT").json();
    assertThat(kept)
        .filteredOn(row -> row.path("messageHeaderId").asText().equals(id))
        .singleElement()
        .satisfies(
            row -> {
              assertThat(row.path("handoverSystem").asText()).isEqualTo("socialpsykiatri");
              assertThat(row.path("responseCode").asText()).isEqualTo("ok");
              assertThat(row.path("reason").asText())
                  .contains(
                      "kept, not handed over",
                      "onward disclosure to socialpsykiatri needs consent",
                      "no consent in force covers");
            });

    SampleConsents.record(
        adminClient(),
        cpr,
        HospitalMessages.SOCIAL_PSYCHIATRY.sor(),
        "care-coordination",
        List.of("current-treatment", "social-conditions"));

    Path note = folder.resolve(id + ".nordby-socialpsykiatri.json");
    await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(note));
    JsonNode journalNote = new ObjectMapper().readTree(note.toFile());
    assertThat(journalNote.path("tekst").asText()).isEqualTo(HospitalMessages.TEXT);
    assertThat(journalNote.path("borger").path("cpr").asText()).isEqualTo(cpr);
    assertThat(journalNote.path("kategori").asText()).isEqualTo("Udskrivelse");
    assertThat(journalNote.path("bilag").get(0).path("indhold").asText())
        .isEqualTo(HospitalMessages.PNG);
    Bundle fhir =
        FHIR.newJsonParser()
            .parseResource(Bundle.class, Files.readString(folder.resolve(id + ".json")));
    assertThat(EnvelopeFacts.of(fhir).messageHeaderId()).isEqualTo(id);
    JsonNode row = inboundRow(id);
    assertThat(row.path("handoverStatus").asText()).isEqualTo("HANDED_OVER");
    assertThat(row.path("reason").asText())
        .startsWith("released after a consent change: ")
        .contains("permitted by consent");
    assertThat(
            jdbc.sql(
                    "SELECT COUNT(*) FROM inbound_message WHERE message_header_id = :h AND kept_message IS NULL"
                        + " AND citizen_cpr IS NULL")
                .param("h", id)
                .query(Integer.class)
                .single())
        .isEqualTo(1);
  }

  @Test
  void citizenRefusedTheDisclosure_keptWithTheRefusal_stillAcknowledgedOk() {
    String cpr = "3112558012";
    String refusal =
        SampleConsents.json(
                cpr,
                HospitalMessages.SOCIAL_PSYCHIATRY.sor(),
                "care-coordination",
                List.of("social-conditions"))
            .replace("\"type\": \"consent\"", "\"type\": \"refusal\"");
    Response recorded =
        adminClient()
            .post("/api/v1/consents", "application/json", refusal.getBytes(StandardCharsets.UTF_8));
    assertThat(recorded.status()).as(recorded.body()).isEqualTo(201);
    Bundle message =
        HospitalMessages.bundle(
            HospitalMessages.record(
                cpr, HospitalMessages.SOCIAL_PSYCHIATRY, "psychiatry-social-disability"),
            Clock.systemUTC());
    String id = EnvelopeFacts.of(message).messageHeaderId();

    Response response =
        intakeClient()
            .post(
                "/fhir/$process-message",
                "application/fhir+xml",
                FHIR.newXmlParser()
                    .encodeResourceToString(message)
                    .getBytes(StandardCharsets.UTF_8));

    assertThat(responseCode(FHIR.newXmlParser().parseResource(Bundle.class, response.body())))
        .isEqualTo("ok");
    JsonNode row = inboundRow(id);
    assertThat(row.path("handoverStatus").asText()).isEqualTo("KEPT");
    assertThat(row.path("reason").asText())
        .contains(
            "onward disclosure to socialpsykiatri refused by the citizen (refusal "
                + recorded.json().path("id").asText()
                + ")");
    assertThat(dataDir().resolve("handover").resolve("socialpsykiatri").resolve(id + ".json"))
        .doesNotExist();
    // No administrator's word overrides the citizen's refusal.
    Response release =
        adminClient()
            .post(
                "/api/v1/inbound-messages/" + row.path("id").asText() + "/release",
                "application/json",
                "{\"comment\": \"urgent\"}".getBytes(StandardCharsets.UTF_8));
    assertThat(release.status()).isEqualTo(409);
    assertThat(release.body()).contains("refused the onward disclosure");
    assertThat(inboundRow(id).path("handoverStatus").asText()).isEqualTo("KEPT");
    assertThat(dataDir().resolve("handover").resolve("socialpsykiatri").resolve(id + ".json"))
        .doesNotExist();
    assertThat(client("operator", OPERATOR_PASSWORD).get("/actuator/prometheus").body())
        .containsPattern(
            "gateway_inbound_messages_total\\{answer=\"ok\",[^}]*handover=\"KEPT\",[^}]*system=\"socialpsykiatri\"");
  }

  /**
   * A refusal naming the municipality, the organisation above the system's unit in the SOR
   * registry, stops the hand-over as it stops an outbound message to that unit, also beside a
   * consent naming the unit itself: refusals beat consents (docs/consent.md). The hand-over matched
   * the system's own SOR code only, so the consent handed the message over past the refusal.
   */
  @Test
  void refusalOfTheWholeMunicipality_keepsTheMessage_despiteAConsentNamingTheUnit() {
    String cpr = freshCpr();
    SampleConsents.record(
        adminClient(),
        cpr,
        HospitalMessages.SOCIAL_PSYCHIATRY.sor(),
        "care-coordination",
        List.of("current-treatment", "social-conditions"));
    String refusal =
        SampleConsents.json(cpr, NORDBY_KOMMUNE, "care-coordination", List.of("social-conditions"))
            .replace("\"type\": \"consent\"", "\"type\": \"refusal\"");
    Response recorded =
        adminClient()
            .post("/api/v1/consents", "application/json", refusal.getBytes(StandardCharsets.UTF_8));
    assertThat(recorded.status()).as(recorded.body()).isEqualTo(201);
    Bundle message =
        HospitalMessages.bundle(
            HospitalMessages.record(
                cpr, HospitalMessages.SOCIAL_PSYCHIATRY, "psychiatry-social-disability"),
            Clock.systemUTC());
    String id = EnvelopeFacts.of(message).messageHeaderId();

    Response response =
        intakeClient()
            .post(
                "/fhir/$process-message",
                "application/fhir+xml",
                FHIR.newXmlParser()
                    .encodeResourceToString(message)
                    .getBytes(StandardCharsets.UTF_8));

    assertThat(responseCode(FHIR.newXmlParser().parseResource(Bundle.class, response.body())))
        .isEqualTo("ok");
    JsonNode row = inboundRow(id);
    assertThat(row.path("handoverStatus").asText()).isEqualTo("KEPT");
    assertThat(row.path("reason").asText())
        .contains(
            "onward disclosure to socialpsykiatri refused by the citizen (refusal "
                + recorded.json().path("id").asText()
                + ")");
    assertThat(dataDir().resolve("handover").resolve("socialpsykiatri").resolve(id + ".json"))
        .doesNotExist();
  }

  /**
   * A consent naming the municipality reaches its social psychiatry as it would an outbound message
   * to that unit, and the hand-over's reason says how (the registry's hierarchy).
   */
  @Test
  void consentNamingTheMunicipality_handsTheMessageToItsUnit_andSaysHow() {
    String cpr = freshCpr();
    String consent =
        SampleConsents.record(
            adminClient(),
            cpr,
            NORDBY_KOMMUNE,
            "care-coordination",
            List.of("current-treatment", "social-conditions"));
    Bundle message =
        HospitalMessages.bundle(
            HospitalMessages.record(
                cpr, HospitalMessages.SOCIAL_PSYCHIATRY, "psychiatry-social-disability"),
            Clock.systemUTC());
    String id = EnvelopeFacts.of(message).messageHeaderId();

    Response response =
        intakeClient()
            .post(
                "/fhir/$process-message",
                "application/fhir+xml",
                FHIR.newXmlParser()
                    .encodeResourceToString(message)
                    .getBytes(StandardCharsets.UTF_8));

    assertThat(responseCode(FHIR.newXmlParser().parseResource(Bundle.class, response.body())))
        .isEqualTo("ok");
    JsonNode row = inboundRow(id);
    assertThat(row.path("handoverStatus").asText()).isEqualTo("HANDED_OVER");
    assertThat(row.path("reason").asText())
        .contains(
            "permitted by consent " + consent,
            "SOR "
                + HospitalMessages.SOCIAL_PSYCHIATRY.sor()
                + " is below "
                + NORDBY_KOMMUNE
                + " (Nordby Kommune)");
    assertThat(dataDir().resolve("handover").resolve("socialpsykiatri").resolve(id + ".json"))
        .exists();
  }

  /**
   * A citizen's refusal that lapses (its validUntil passes) while a covering consent stands: the
   * kept message may now go, but nothing about the consents changed, so no consent-change event
   * offers it again. It waited for ever (until another consent change or an administrator); the
   * kept-message sweep ({@code gateway.handover.kept.sweep-interval}, 1 s here) hands it over.
   */
  @Test
  void refusalLapses_keptMessageHandedOverBySweep_withoutAConsentChange() throws Exception {
    String cpr = freshCpr();
    SampleConsents.record(
        adminClient(),
        cpr,
        HospitalMessages.SOCIAL_PSYCHIATRY.sor(),
        "care-coordination",
        List.of("current-treatment", "social-conditions"));
    // Far enough ahead for the message's first validation under load (11 s seen at load 4).
    OffsetDateTime lapses = OffsetDateTime.now(ZoneOffset.UTC).plusSeconds(20);
    String refusal =
        SampleConsents.json(
                cpr,
                HospitalMessages.SOCIAL_PSYCHIATRY.sor(),
                "care-coordination",
                List.of("social-conditions"))
            .replace("\"type\": \"consent\"", "\"type\": \"refusal\"")
            .replace(
                "\"form\": \"written\"",
                "\"form\": \"written\", \"validUntil\": \"" + lapses + "\"");
    Response recorded =
        adminClient()
            .post("/api/v1/consents", "application/json", refusal.getBytes(StandardCharsets.UTF_8));
    assertThat(recorded.status()).as(recorded.body()).isEqualTo(201);
    Bundle message =
        HospitalMessages.bundle(
            HospitalMessages.record(
                cpr, HospitalMessages.SOCIAL_PSYCHIATRY, "psychiatry-social-disability"),
            Clock.systemUTC());
    String id = EnvelopeFacts.of(message).messageHeaderId();

    processMessage("application/fhir+xml", FHIR.newXmlParser().encodeResourceToString(message));
    assumeThat(OffsetDateTime.now(ZoneOffset.UTC))
        .as("received before the refusal lapsed (else the machine was too slow to tell)")
        .isBefore(lapses);
    assertThat(inboundRow(id).path("handoverStatus").asText()).isEqualTo("KEPT");
    // What the administrator on call sees without the console: kept, none overdue (7 days).
    assertThat(client("operator", OPERATOR_PASSWORD).get("/actuator/prometheus").body())
        .containsPattern("(?m)^gateway_inbound_kept(\\{[^}]*\\})? [1-9]")
        .containsPattern("(?m)^gateway_inbound_kept_overdue(\\{[^}]*\\})? 0");

    Path fhir = dataDir().resolve("handover").resolve("socialpsykiatri").resolve(id + ".json");
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(200))
        .until(() -> Files.exists(fhir));
    assertThat(OffsetDateTime.now(ZoneOffset.UTC))
        .as("not before the refusal lapsed")
        .isAfter(lapses);
    JsonNode row = inboundRow(id);
    assertThat(row.path("handoverStatus").asText()).isEqualTo("HANDED_OVER");
    assertThat(row.path("reason").asText())
        .startsWith("released by the kept-message sweep: ")
        .contains("permitted by consent");
  }

  /**
   * Two consents of one citizen recorded at the same moment (two case workers, two nodes): each
   * change offered the citizen's kept messages to the hand-over, both found them still kept and
   * both wrote them into the system's folder, which a system importing each file it finds reads
   * twice. The folder is watched: every write is a file appearing under the message's name.
   */
  @Test
  void twoConsentChangesAtOnce_handEachKeptMessageOverOnce() throws Exception {
    String cpr = freshCpr();
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      Bundle message =
          HospitalMessages.bundle(
              HospitalMessages.record(cpr, HospitalMessages.SOCIAL_PSYCHIATRY, "discharge"),
              Clock.systemUTC());
      ids.add(EnvelopeFacts.of(message).messageHeaderId());
      Response response =
          intakeClient()
              .post(
                  "/fhir/$process-message",
                  "application/fhir+json",
                  FHIR.newJsonParser()
                      .encodeResourceToString(message)
                      .getBytes(StandardCharsets.UTF_8));
      assertThat(response.status()).as(response.body()).isEqualTo(200);
      assertThat(inboundRow(ids.get(i)).path("handoverStatus").asText()).isEqualTo("KEPT");
    }
    Path folder = Files.createDirectories(dataDir().resolve("handover").resolve("socialpsykiatri"));
    Map<String, Integer> writes = new ConcurrentHashMap<>();
    try (WatchService watcher = FileSystems.getDefault().newWatchService()) {
      folder.register(watcher, StandardWatchEventKinds.ENTRY_CREATE);
      String consent =
          SampleConsents.json(
              cpr,
              HospitalMessages.SOCIAL_PSYCHIATRY.sor(),
              "care-coordination",
              List.of("current-treatment", "social-conditions"));
      CountDownLatch start = new CountDownLatch(1);
      List<CompletableFuture<Response>> consents = new ArrayList<>();
      for (int i = 0; i < 2; i++) {
        consents.add(
            CompletableFuture.supplyAsync(
                () -> {
                  try {
                    start.await();
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  }
                  return adminClient()
                      .post(
                          "/api/v1/consents",
                          "application/json",
                          consent.getBytes(StandardCharsets.UTF_8));
                }));
      }
      start.countDown();
      consents.forEach(c -> assertThat(c.join().status()).isEqualTo(201));
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () ->
                  ids.stream()
                      .allMatch(
                          id ->
                              "HANDED_OVER"
                                  .equals(inboundRow(id).path("handoverStatus").asText())));
      // Both consent requests have answered: each change's hand-over has run (it runs in the
      // request), so every write has happened; the events are read until none is left.
      WatchKey key;
      while ((key = watcher.poll(500, TimeUnit.MILLISECONDS)) != null) {
        for (WatchEvent<?> event : key.pollEvents()) {
          writes.merge(event.context().toString(), event.count(), Integer::sum);
        }
        key.reset();
      }
    }
    for (String id : ids) {
      assertThat(writes.get(id + ".json")).as("writes of " + id + ".json").isEqualTo(1);
    }
  }

  /**
   * MedCom recognises a duplicate by its MessageHeader id. A resend (new Bundle.id, new Provenance
   * times, here also as XML) is a duplicate; changed content under the same MessageHeader id was
   * answered as one too and dropped without a trace. It is still answered as the first copy and not
   * handed over twice, but the first copy's row shows the conflict (hash compared).
   */
  @Test
  void sameMessageHeaderId_changedContent_answeredAsTheFirst_notHandedOver_conflictJournaled()
      throws Exception {
    Bundle message =
        HospitalMessages.bundle(
            HospitalMessages.record("1711538456", HospitalMessages.HOME_CARE, "medicine"),
            Clock.systemUTC());
    String id = EnvelopeFacts.of(message).messageHeaderId();
    String first = FHIR.newJsonParser().encodeResourceToString(message);
    assertThat(answer(processMessage("application/fhir+json", first)).getResponse().getIdentifier())
        .isEqualTo(id);
    Path handedOver = HOME_CARE_FOLDER.resolve(id + ".json");
    assertThat(handedOver).hasContent(first);

    Bundle resend = message.copy();
    resend.setId(UUID.randomUUID().toString());
    resend.setTimestamp(new java.util.Date(System.currentTimeMillis() + 60_000));
    for (Bundle.BundleEntryComponent e : resend.getEntry()) {
      if (e.getResource() instanceof Provenance p) {
        p.setOccurred(new DateTimeType(new java.util.Date(System.currentTimeMillis() + 60_000)));
      }
    }
    MessageHeader again =
        answer(
            processMessage(
                "application/fhir+xml", FHIR.newXmlParser().encodeResourceToString(resend)));
    assertThat(again.getResponse().getCode().toCode()).isEqualTo("ok");
    assertThat(inboundRow(id).path("duplicates").asInt()).isEqualTo(1);
    assertThat(inboundRow(id).path("contentConflicts").asInt()).isZero();

    Bundle changed = resend.copy();
    changed.setId(UUID.randomUUID().toString());
    for (Bundle.BundleEntryComponent e : changed.getEntry()) {
      if (e.getResource() instanceof Communication c) {
        c.getPayloadFirstRep().setContent(new StringType("Borgeren udskrives i dag kl. 14."));
      }
    }
    MessageHeader conflict =
        answer(
            processMessage(
                "application/fhir+json", FHIR.newJsonParser().encodeResourceToString(changed)));

    // MedCom: the first copy's answer (the sender's own fault: changed content needs new ids).
    assertThat(conflict.getResponse().getIdentifier()).isEqualTo(id);
    assertThat(conflict.getResponse().getCode().toCode()).isEqualTo("ok");
    assertThat(handedOver).hasContent(first);
    JsonNode row = inboundRow(id);
    assertThat(row.path("duplicates").asInt()).isEqualTo(2);
    assertThat(row.path("contentConflicts").asInt()).isEqualTo(1);
    assertThat(row.path("lastConflictBundleId").asText()).isEqualTo(changed.getIdPart());
    assertThat(row.path("lastConflictAt").asText()).isNotBlank();
    assertThat(client("operator", OPERATOR_PASSWORD).get("/actuator/prometheus").body())
        .containsPattern("gateway_inbound_content_conflicts_total(\\{[^}]*\\})? [1-9]");
  }

  private String processMessage(String contentType, String body) {
    Response response =
        intakeClient()
            .post("/fhir/$process-message", contentType, body.getBytes(StandardCharsets.UTF_8));
    assertThat(response.status()).as(response.body()).isEqualTo(200);
    return response.body();
  }

  private static MessageHeader answer(String body) {
    boolean xml = body.stripLeading().startsWith("<");
    Bundle ack =
        (xml ? FHIR.newXmlParser() : FHIR.newJsonParser()).parseResource(Bundle.class, body);
    return (MessageHeader) ack.getEntryFirstRep().getResource();
  }

  /**
   * A citizen identified by a replacement CPR (X-eCPR) can have no consent, so a message for a
   * system that requires one was kept for ever: nothing released it and no action reached it. The
   * admin on call releases one over the API (operators may not), discards another in the console,
   * and the rows and the audit log say who did what and why.
   */
  @Test
  void replacementCprCitizen_keptMessage_adminReleasesOverApi_discardsInConsole_audited()
      throws Exception {
    String released = sendWithReplacementCpr();
    String discarded = sendWithReplacementCpr();
    String releasedId = inboundRow(released).path("id").asText();
    String discardedId = inboundRow(discarded).path("id").asText();
    assertThat(inboundRow(released).path("handoverStatus").asText()).isEqualTo("KEPT");
    Path folder = dataDir().resolve("handover").resolve("socialpsykiatri");
    String comment = "X-eCPR citizen, no consent possible; case worker confirmed by phone";
    byte[] body = ("{\"comment\": \"" + comment + "\"}").getBytes(StandardCharsets.UTF_8);

    // Operators retry and resend; a disclosure without consent is the admin's.
    assertThat(
            operatorClient()
                .post(
                    "/api/v1/inbound-messages/" + releasedId + "/release", "application/json", body)
                .status())
        .isEqualTo(403);
    Response noComment =
        adminClient()
            .post(
                "/api/v1/inbound-messages/" + releasedId + "/release",
                "application/json",
                "{}".getBytes(StandardCharsets.UTF_8));
    assertThat(noComment.status()).isEqualTo(400);
    assertThat(noComment.body()).contains("OperationOutcome", "comment");
    assertThat(folder.resolve(released + ".json")).doesNotExist();

    Response release =
        adminClient()
            .post("/api/v1/inbound-messages/" + releasedId + "/release", "application/json", body);

    assertThat(release.status()).as(release.body()).isEqualTo(200);
    assertThat(release.json().path("handoverStatus").asText()).isEqualTo("HANDED_OVER");
    assertThat(folder.resolve(released + ".json")).exists();
    assertThat(folder.resolve(released + ".nordby-socialpsykiatri.json")).exists();
    JsonNode row = inboundRow(released);
    assertThat(row.path("handoverStatus").asText()).isEqualTo("HANDED_OVER");
    assertThat(row.path("reason").asText())
        .startsWith(
            "released by administrator admin (" + comment + "): handed over to socialpsykiatri")
        .contains("without the onward-disclosure consent", "needs consent");
    assertThat(keptContentLeft(releasedId)).isZero();
    Response again =
        adminClient()
            .post("/api/v1/inbound-messages/" + releasedId + "/release", "application/json", body);
    assertThat(again.status()).isEqualTo(409);
    assertThat(
            adminClient()
                .post(
                    "/api/v1/inbound-messages/no-such-id/discard",
                    "application/json",
                    "{\"reason\": \"x\"}".getBytes(StandardCharsets.UTF_8))
                .status())
        .isEqualTo(404);

    // The console: the kept list (no citizen), the discard form, the row and the audit log.
    ConsoleSession admin = ConsoleSession.login(base(), "admin", ADMIN_PASSWORD);
    String page = admin.get("/admin/inbound").body();
    assertThat(page).contains(discarded, "kept, not handed over").doesNotContain(released);
    assertThat(page).doesNotContain("0703921VJ5", "Prøvesen");
    ConsoleSession operator = ConsoleSession.login(base(), "operator", OPERATOR_PASSWORD);
    assertThat(
            operator
                .post(
                    "/admin/inbound/" + discardedId + "/discard",
                    Map.of("reason", "not mine", "_csrf", operator.csrf("/admin/inbound")))
                .statusCode())
        .isEqualTo(403);
    var posted =
        admin.post(
            "/admin/inbound/" + discardedId + "/discard",
            Map.of(
                "reason",
                "sent to us by mistake, hospital informed",
                "_csrf",
                admin.csrf("/admin/inbound")));
    assertThat(posted.statusCode()).isEqualTo(302);
    assertThat(admin.get("/admin/inbound").body())
        .contains("Discarded " + discardedId)
        .doesNotContain("kept-" + discardedId);
    JsonNode gone = inboundRow(discarded);
    assertThat(gone.path("handoverStatus").asText()).isEqualTo("DISCARDED");
    assertThat(gone.path("reason").asText())
        .startsWith(
            "discarded by administrator admin (sent to us by mistake, hospital informed); was:")
        .contains("kept, not handed over", "the record does not identify the citizen");
    assertThat(keptContentLeft(discardedId)).isZero();
    assertThat(files(folder)).noneMatch(f -> f.getFileName().toString().startsWith(discarded));

    JsonNode audit = adminClient().get("/api/v1/audit?size=200").json().path("items");
    assertThat(audit)
        .filteredOn(a -> a.path("target").asText().equals(releasedId))
        .singleElement()
        .satisfies(
            a -> {
              assertThat(a.path("action").asText()).isEqualTo("RELEASE_INBOUND");
              assertThat(a.path("actor").asText()).isEqualTo("admin");
              assertThat(a.path("reason").asText()).isEqualTo(comment);
              assertThat(a.path("detail").asText()).contains("handed over to socialpsykiatri");
            });
    assertThat(audit)
        .filteredOn(a -> a.path("target").asText().equals(discardedId))
        .singleElement()
        .satisfies(a -> assertThat(a.path("action").asText()).isEqualTo("DISCARD_INBOUND"));
  }

  private String sendWithReplacementCpr() {
    Bundle message =
        HospitalMessages.bundle(
            HospitalMessages.record(null, HospitalMessages.SOCIAL_PSYCHIATRY, "discharge")
                .withCitizen(
                    new CanonicalRecord.Citizen(
                        null, "Bo", "Prøvesen", "0703921VJ5", MedComCodes.X_ECPR_SYSTEM)),
            Clock.systemUTC());
    Response response =
        intakeClient()
            .post(
                "/fhir/$process-message",
                "application/fhir+json",
                FHIR.newJsonParser()
                    .encodeResourceToString(message)
                    .getBytes(StandardCharsets.UTF_8));
    assertThat(response.status()).as(response.body()).isEqualTo(200);
    assertThat(responseCode(FHIR.newJsonParser().parseResource(Bundle.class, response.body())))
        .isEqualTo("ok");
    return EnvelopeFacts.of(message).messageHeaderId();
  }

  private int keptContentLeft(String inboundId) {
    return jdbc.sql(
            "SELECT COUNT(*) FROM inbound_message WHERE id = :id AND (kept_message IS NOT NULL"
                + " OR citizen_cpr IS NOT NULL)")
        .param("id", inboundId)
        .query(Integer.class)
        .single();
  }

  private String base() {
    return "http://localhost:" + port;
  }

  @Test
  void inboundMessages_badHandoverFilter_isAnOperationOutcome() {
    Response response = adminClient().get("/api/v1/inbound-messages?handover=LOST");
    assertThat(response.status()).isEqualTo(400);
    assertThat(response.body()).contains("OperationOutcome", "KEPT, HANDED_OVER or DISCARDED");
  }

  private JsonNode inboundRow(String messageHeaderId) {
    for (JsonNode row : adminClient().get("/api/v1/inbound-messages").json()) {
      if (row.path("messageHeaderId").asText().equals(messageHeaderId)) {
        return row;
      }
    }
    throw new AssertionError("no inbound message " + messageHeaderId);
  }

  private static String responseCode(Bundle ack) {
    return ((MessageHeader) ack.getEntryFirstRep().getResource()).getResponse().getCode().toCode();
  }

  private void dropInbound(byte[] content) throws IOException {
    Path inbound = Files.createDirectories(dataDir().resolve("inbound"));
    String name = "msg-" + UUID.randomUUID() + ".xml";
    Files.write(inbound.resolve(name + ".part"), content);
    Files.move(inbound.resolve(name + ".part"), inbound.resolve(name));
  }

  private static List<Path> files(Path folder) {
    if (!Files.isDirectory(folder)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(folder)) {
      return files.filter(f -> !f.getFileName().toString().startsWith(".")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Path tempFolder() {
    try {
      return Files.createTempDirectory("sektorbro-hjemmepleje-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
