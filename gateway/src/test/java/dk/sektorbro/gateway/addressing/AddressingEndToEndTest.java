package dk.sektorbro.gateway.addressing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dk.sektorbro.gateway.consent.ConsentGate;
import dk.sektorbro.gateway.gate.GateDecision;
import dk.sektorbro.gateway.gate.OutboundGate;
import dk.sektorbro.gateway.journal.CanonicalRecords;
import dk.sektorbro.gateway.journal.Journal;
import dk.sektorbro.gateway.journal.JournalEntry;
import dk.sektorbro.gateway.journal.MessageState;
import dk.sektorbro.gateway.mapping.MappingRegistry;
import dk.sektorbro.gateway.pipeline.GateStage;
import dk.sektorbro.gateway.pipeline.PipelineDispatcher;
import dk.sektorbro.gateway.platform.RouteIds;
import dk.sektorbro.gateway.record.CanonicalRecord;
import dk.sektorbro.gateway.support.FhirTimes;
import dk.sektorbro.gateway.support.GatewayClient;
import dk.sektorbro.gateway.support.GatewayIntegrationTest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.camel.CamelContext;
import org.apache.camel.component.seda.SedaEndpoint;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The real gateway with the synthetic registry imported at start: records posted over HTTP with
 * different recipient addresses end in the right state and the right postbox folder, or none.
 */
class AddressingEndToEndTest extends GatewayIntegrationTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String SOURCE = "nordby-socialpsykiatri";
  private static final Path TEMPLATE =
      TEST_MESSAGES.resolve(SOURCE).resolve("henvisning-prioritet.json");
  private static final String P3_GLN = "5790009900030";

  @Autowired RegistryService registry;
  @Autowired RegistryRepository registryRepository;
  @Autowired RegistryImporter importer;
  @Autowired HeldAddressRecheck recheck;
  @Autowired AddressingProperties addressingProperties;
  @Autowired Clock clock;
  @Autowired Journal journal;
  @Autowired ObjectMapper mapper;
  @Autowired CanonicalRecords records;
  @Autowired MappingRegistry mappings;
  @Autowired ConsentGate consentGate;
  @Autowired CamelContext camel;
  @Autowired PipelineDispatcher dispatcher;

  private String submit(String name, String sor, String ean) throws IOException {
    return submit(name, sor, ean, null);
  }

  /** {@code sender}: SOR and EAN of the sending unit, else the template's. */
  private String submit(String name, String sor, String ean, String[] sender) throws IOException {
    ObjectNode record = (ObjectNode) JSON.readTree(Files.readString(TEMPLATE));
    if (sender != null) {
      ((ObjectNode) record.get("afsender")).put("sor", sender[0]).put("ean", sender[1]);
    }
    record.put("journalpostId", "SP-ADDR-" + UUID.randomUUID());
    ObjectNode recipient = JSON.createObjectNode();
    if (name != null) {
      recipient.put("navn", name);
    }
    if (sor != null) {
      recipient.put("sor", sor);
    }
    if (ean != null) {
      recipient.put("ean", ean);
    }
    recipient.put("type", "sygehus");
    record.set("modtager", recipient);
    // Consent is not what these tests are about: the citizen consented to Region Nord (which covers
    // every unit below it, as the registry resolves the address) and to the owner added by a test.
    consentOnce();
    GatewayClient.Response response =
        intakeClient(SOURCE)
            .post("/api/v1/records/" + SOURCE, "application/json", JSON.writeValueAsBytes(record));
    assertThat(response.status()).as(response.body()).isEqualTo(202);
    return response.json().get("id").asText();
  }

  private static final AtomicBoolean CONSENTED = new AtomicBoolean();

  private void consentOnce() {
    if (CONSENTED.getAndSet(true)) {
      return;
    }
    String givenAt = FhirTimes.ago(Duration.ofDays(1));
    GatewayClient.Response response =
        adminClient()
            .post(
                "/api/v1/consents",
                "application/json",
                ("""
        {"citizenCpr": "3112558012", "type": "consent", "givenBy": {"type": "citizen"},
         "recipients": [{"kind": "organisation", "sor": "990111000016009"}, {"kind": "organisation", "sor": "990231000016009"}],
         "informationCategories": ["social-conditions", "current-treatment"], "purpose": "care-coordination",
         "givenAt": "%s", "collectedBy": "Karen Holm", "form": "written"}""")
                    .formatted(givenAt)
                    .getBytes(StandardCharsets.UTF_8));
    assertThat(response.status()).as(response.body()).isEqualTo(201);
  }

  /** The last addressing event of the entry's history. */
  private static JsonNode addressing(JsonNode entry) {
    JsonNode found = null;
    for (JsonNode event : entry.get("history")) {
      if ("addressing".equals(event.get("stage").asText())) {
        found = event;
      }
    }
    assertThat(found).as("an addressing event").isNotNull();
    return found;
  }

  private static List<String> rules(JsonNode event) {
    List<String> rules = new ArrayList<>();
    event.get("detail").get("rules").forEach(r -> rules.add(r.get("rule").asText()));
    return rules;
  }

  private boolean postboxHasFiles(String gln) throws IOException {
    Path folder = outbox(gln);
    if (!Files.isDirectory(folder)) {
      return false;
    }
    try (var files = Files.list(folder)) {
      return files.findAny().isPresent();
    }
  }

  @Test
  void sorOnly_isCompletedWithTheUnitsEan_andSent() throws IOException {
    JsonNode entry = awaitState(submit(null, "990031000016002", null), "SENT");
    assertThat(entry.get("recipient").get("gln").asText()).isEqualTo(P3_GLN);
    assertThat(Path.of(entry.get("outboxPath").asText())).exists().startsWith(outbox(P3_GLN));
    JsonNode event = addressing(entry);
    assertThat(rules(event)).containsExactly("R5");
    assertThat(event.get("detail").get("snapshotId").asText()).isNotBlank();
    assertThat(event.get("detail").get("before").get("gln").isNull()).isTrue();
    assertThat(event.get("detail").get("after").get("gln").asText()).isEqualTo(P3_GLN);
    assertThat(event.get("detail").get("unitPath").toString()).contains("Region Nord", "Afsnit P3");
  }

  @Test
  void glnOnly_isCompletedWithTheOwningUnit_andSent() throws IOException {
    JsonNode entry = awaitState(submit("Udgående team", null, "0088:5790009900047"), "SENT");
    assertThat(entry.get("recipient").get("sor").asText()).isEqualTo("990041000016009");
    assertThat(Path.of(entry.get("outboxPath").asText())).startsWith(outbox("5790009900047"));
    assertThat(rules(addressing(entry))).containsExactly("R1", "R6");
  }

  @Test
  void closedUnit_isReaddressedToItsSuccessor_andNothingGoesToTheOldPostbox() throws IOException {
    JsonNode entry = awaitState(submit("Afsnit P1", "990131000016003", "5790009900092"), "SENT");
    assertThat(entry.get("recipient").get("sor").asText()).isEqualTo("990031000016002");
    assertThat(Path.of(entry.get("outboxPath").asText())).startsWith(outbox(P3_GLN));
    assertThat(rules(addressing(entry))).containsExactly("R8", "R5");
    assertThat(addressing(entry).get("reason").asText()).contains("R8");
    assertThat(postboxHasFiles("5790009900092")).isFalse();
    // The name the source gave is the closed unit's: the receiver Organization names the successor.
    assertThat(entry.get("recipient").get("name").asText())
        .isEqualTo("Region Nord Psykiatri Afsnit P3");
    assertThat(Files.readString(Path.of(entry.get("outboxPath").asText())))
        .contains("Region Nord Psykiatri Afsnit P3")
        .doesNotContain("Afsnit P1");
  }

  @Test
  void postboxThatCannotReceiveCareCommunication_fails_withTheMedComErrorCode() throws IOException {
    JsonNode entry = awaitState(submit(null, "990151000016008", "5790009900108"), "FAILED");
    assertThat(entry.get("reason").asText())
        .contains("MSG_RECEIVER_UNABLE_TO_RECEIVE_MSG_TYPE", "R10");
    assertThat(entry.get("outboxPath").isNull()).isTrue();
    assertThat(postboxHasFiles("5790009900108")).isFalse();
  }

  @Test
  void municipalityOwnerWithoutEan_isTooCoarse_R11_notUnknown() throws IOException {
    JsonNode entry = awaitState(submit(null, "990071000016000", null), "FAILED");
    assertThat(entry.get("reason").asText())
        .contains("(R11)", "too coarse", "MSG_RECEIVER_UNABLE_TO_RECEIVE_MSG_TYPE")
        .doesNotContain("R5");
  }

  @Test
  void registryUploadCutInsideAMultiByteCharacter_is422_andTheActiveSnapshotStays()
      throws IOException {
    String active = adminClient().get("/api/v1/registry/snapshots").json().get("items").toString();
    byte[] whole = Files.readAllBytes(REPO.resolve("registry/synthetic-sor.xml"));
    String text = new String(whole, StandardCharsets.UTF_8);
    int at =
        text.substring(0, text.indexOf("Lægehuset") + 1).getBytes(StandardCharsets.UTF_8).length
            + 1;
    GatewayClient.Response upload =
        adminClient()
            .post("/api/v1/registry/snapshots", "application/xml", Arrays.copyOf(whole, at));
    assertThat(upload.status()).as(upload.body()).isEqualTo(422);
    assertThat(upload.json().get("resourceType").asText()).isEqualTo("OperationOutcome");
    assertThat(upload.body()).contains("SOR XML").doesNotContain("journal");
    assertThat(adminClient().get("/api/v1/registry/snapshots").json().get("items").toString())
        .isEqualTo(active);
  }

  @Test
  void internalPostbox_fails_andNothingIsWritten() throws IOException {
    JsonNode entry = awaitState(submit(null, "990101000016007", null), "FAILED");
    assertThat(entry.get("reason").asText()).contains("R12");
    assertThat(postboxHasFiles("5790009900078")).isFalse();
  }

  /**
   * Our own unit as sender, with a postbox the registry marks internal only: the hospital's
   * acknowledgement and reply could not reach it (MedCom KR1: every message is acknowledged to its
   * sender). The message is held at addressing, before consent, and nothing is sent; it went out.
   */
  @Test
  void senderWithAnInternalOnlyPostbox_isHeld_andNothingIsSent() throws IOException {
    JsonNode entry =
        awaitState(
            submit(
                null, "990031000016002", null, new String[] {"990101000016007", "5790009900078"}),
            "HELD_ADDRESS");
    assertThat(entry.get("reason").asText())
        .contains("sender address (R12)")
        .contains("sender EAN 5790009900078 is an internal-only postbox");
    assertThat(addressing(entry).get("detail").get("sender").toString()).contains("R12");
    assertThat(entry.get("outboxPath").isNull()).isTrue();
  }

  @Test
  void sorAndEanOfDifferentUnits_areHeldWithBothCandidates() throws IOException {
    JsonNode entry = awaitState(submit(null, "990031000016002", "5790009900047"), "HELD_ADDRESS");
    JsonNode detail = addressing(entry).get("detail");
    assertThat(detail.get("suggestions").findValuesAsText("sor"))
        .containsExactly("990031000016002", "990041000016009");
    assertThat(entry.get("outboxPath").isNull()).isTrue(); // other tests do send to that postbox
  }

  @Test
  void unknownUnit_isHeld_andSentAfterASnapshotThatKnowsIt() throws IOException {
    String newSor = "990221000016007";
    String newGln = "5790009900139";
    String id = submit("Ny Enhed", newSor, null);
    JsonNode held = awaitState(id, "HELD_ADDRESS");
    assertThat(held.get("reason").asText()).contains("R13", "MSG_Receiver_Identifier_UNKNOWN");
    String nameOnly = submit("Afsnit P3", null, null);
    JsonNode nameHeld = awaitState(nameOnly, "HELD_ADDRESS");
    assertThat(addressing(nameHeld).get("detail").get("suggestions").findValuesAsText("sor"))
        .contains("990031000016002");

    String xml =
        Files.readString(REPO.resolve("registry/synthetic-sor.xml"))
            .replace(
                "</SorTree>",
                """
        <InstitutionOwnerEntity><InstitutionOwner><SorIdentifier>%s</SorIdentifier>
        <EntityName>Ny Enhed</EntityName><OwnerType>privat</OwnerType>
        <EanLocationCodeEntity><EanLocationCode>%s</EanLocationCode>
        <OnlyInternalIndicator>false</OnlyInternalIndicator><NonActiveIndicator>false</NonActiveIndicator>
        <EdiMessageTypeCollection><ReceivesMessageType>FDIS91</ReceivesMessageType></EdiMessageTypeCollection>
        </EanLocationCodeEntity></InstitutionOwner>
        <HealthInstitutionEntity><HealthInstitution><SorIdentifier>%s</SorIdentifier><EntityName>Ny Klinik</EntityName>
        <OptionalEanLocationCode><EntityInheritedIndicator>true</EntityInheritedIndicator></OptionalEanLocationCode>
        </HealthInstitution></HealthInstitutionEntity></InstitutionOwnerEntity></SorTree>
        """
                    .formatted("990231000016009", newGln, newSor));
    GatewayClient.Response upload =
        adminClient()
            .post(
                "/api/v1/registry/snapshots",
                "application/xml",
                xml.getBytes(StandardCharsets.UTF_8));
    assertThat(upload.status()).as(upload.body()).isEqualTo(201);
    assertThat(upload.json().get("snapshot").get("units").asInt()).isEqualTo(22);

    JsonNode sent = awaitState(id, "SENT");
    assertThat(Path.of(sent.get("outboxPath").asText())).startsWith(outbox(newGln));
    List<String> states = new ArrayList<>();
    sent.get("history").forEach(h -> states.add(h.get("state").asText()));
    assertThat(states)
        .containsSubsequence("RECEIVED", "HELD_ADDRESS", "RECEIVED", "TRANSLATED", "SENT");
    // The name-only record is re-checked too, and held again: a name is never enough to send.
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                journalEntry(nameOnly).get("history").size() > nameHeld.get("history").size() + 1);
    assertThat(awaitState(nameOnly, "HELD_ADDRESS")).isNotNull();
  }

  /**
   * A snapshot imported on one node while another node addresses: the other node goes on with the
   * snapshot it loaded for up to RegistryService.RECHECK (5 s; an hour here, so the test does not
   * race it). A message for a unit the import added, reaching that node's gates after the import
   * (and after the importing node's re-check of held messages), must not be held as unknown (R13,
   * "waits for the next snapshot"): the snapshot it waits for is already active, and nothing would
   * re-check it before the next import.
   */
  @Test
  void aNodeStillOnTheSnapshotBeforeAnotherNodesImport_doesNotHoldAUnitTheImportAdded()
      throws Exception {
    String newSor = "990241000016002";
    String newGln = "5790009900153";
    // Node B: this application's registry tables, its own snapshot in memory.
    RegistryService nodeB =
        new RegistryService(
            registryRepository,
            importer,
            recheck,
            addressingProperties,
            clock,
            event -> {},
            Duration.ofHours(1));
    String loadedByB = nodeB.active().orElseThrow().info().id();
    // Node C, on the same snapshot, delivers: a retry of the message lands on it later.
    RegistryService nodeC =
        new RegistryService(
            registryRepository,
            importer,
            recheck,
            addressingProperties,
            clock,
            event -> {},
            Duration.ofHours(1));
    nodeC.active().orElseThrow();

    // Node A (this application) imports a snapshot that adds the unit, under the owner the
    // citizen consented to.
    String xml =
        Files.readString(REPO.resolve("registry/synthetic-sor.xml"))
            .replace(
                "</SorTree>",
                """
        <InstitutionOwnerEntity><InstitutionOwner><SorIdentifier>990231000016009</SorIdentifier>
        <EntityName>Ny Ejer</EntityName><OwnerType>privat</OwnerType>
        <EanLocationCodeEntity><EanLocationCode>%s</EanLocationCode>
        <OnlyInternalIndicator>false</OnlyInternalIndicator><NonActiveIndicator>false</NonActiveIndicator>
        <EdiMessageTypeCollection><ReceivesMessageType>FDIS91</ReceivesMessageType></EdiMessageTypeCollection>
        </EanLocationCodeEntity></InstitutionOwner>
        <HealthInstitutionEntity><HealthInstitution><SorIdentifier>%s</SorIdentifier><EntityName>Nyere Klinik</EntityName>
        <OptionalEanLocationCode><EntityInheritedIndicator>true</EntityInheritedIndicator></OptionalEanLocationCode>
        </HealthInstitution></HealthInstitutionEntity></InstitutionOwnerEntity></SorTree>
        """
                    .formatted(newGln, newSor));
    GatewayClient.Response upload =
        adminClient()
            .post(
                "/api/v1/registry/snapshots",
                "application/xml",
                xml.getBytes(StandardCharsets.UTF_8));
    assertThat(upload.status()).as(upload.body()).isEqualTo(201);

    // The record for the new unit is taken by node B's gates.
    String id;
    camel.getRouteController().stopRoute(RouteIds.GATES);
    try {
      id = submit(null, newSor, null);
      awaitState(id, "RECEIVED");
      String taken = id;
      camel
          .getEndpoint(dispatcher.queueUri(RouteIds.GATES), SedaEndpoint.class)
          .getQueue()
          .removeIf(exchange -> taken.equals(exchange.getIn().getBody(String.class)));
    } finally {
      camel.getRouteController().startRoute(RouteIds.GATES);
    }
    GateStage gatesOfB =
        new GateStage(
            journal,
            List.of(
                new AddressingGate(nodeB, addressingProperties, journal, mapper, clock, mappings),
                consentGate),
            mapper,
            records);
    boolean passed = gatesOfB.check(id);

    JsonNode entry = journalEntry(id);
    assertThat(entry.get("state").asText())
        .as("decided by node B: %s", addressing(entry).get("reason").asText())
        .isEqualTo("RECEIVED");
    assertThat(passed).isTrue();
    assertThat(nodeB.active().orElseThrow().info().id()).isNotEqualTo(loadedByB);
    dispatcher.resume(id, MessageState.RECEIVED);
    JsonNode sent = awaitState(id, "SENT");
    assertThat(Path.of(sent.get("outboxPath").asText())).startsWith(outbox(newGln));

    // Node C's delivery guard, still on the snapshot before the import, rechecks the address
    // before a write (a retry or resend it took): the unit is in the active snapshot.
    GateDecision atDelivery =
        new AddressingDeliveryGuard(nodeC, addressingProperties, clock, mapper)
            .recheck(journal.find(id).orElseThrow());
    assertThat(atDelivery.kind()).as(atDelivery.reason()).isEqualTo(GateDecision.Kind.PASS);
  }

  /**
   * An administrator fixes the address of a record (edit in RECEIVED) while a gates run of the
   * record before the edit is under way (slow, or its node stalled): that run must not hold the
   * fixed record by the old address's verdict. The run reads the entry, then waits in its
   * addressing gate; the edit is made; the run goes on.
   */
  @Test
  void aGatesRunOfTheRecordBeforeAnAddressFix_decidesNothingOnTheFixedRecord() throws Exception {
    String id;
    camel.getRouteController().stopRoute(RouteIds.GATES);
    CountDownLatch reading = new CountDownLatch(1);
    CountDownLatch resume = new CountDownLatch(1);
    CompletableFuture<Boolean> staleRun;
    try {
      id = submit(null, "990251000016004", null); // well-formed, in no snapshot: held (R13)
      awaitState(id, "RECEIVED");
      takeFromGatesQueue(id);
      OutboundGate addressing =
          new AddressingGate(registry, addressingProperties, journal, mapper, clock, mappings);
      OutboundGate slowAddressing =
          new OutboundGate() {
            @Override
            public String name() {
              return addressing.name();
            }

            @Override
            public GateDecision check(JournalEntry entry, CanonicalRecord record) {
              reading.countDown();
              try {
                resume.await(120, TimeUnit.SECONDS);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
              return addressing.check(entry, record);
            }
          };
      GateStage slow =
          new GateStage(journal, List.of(slowAddressing, consentGate), mapper, records);
      String running = id;
      staleRun = CompletableFuture.supplyAsync(() -> slow.check(running));
      assertThat(reading.await(60, TimeUnit.SECONDS)).isTrue();

      GatewayClient.Response edit =
          adminClient()
              .post(
                  "/api/v1/messages/" + id + "/edit",
                  "application/json",
                  """
                  {"changes": {"recipient.sor": "990031000016002", "recipient.gln": "%s",
                               "recipient.name": "Afsnit P3"},
                   "comment": "forkert SOR-kode, rettet til afsnit P3"}"""
                      .formatted(P3_GLN)
                      .getBytes(StandardCharsets.UTF_8));
      assertThat(edit.status()).as(edit.body()).isEqualTo(200);
      resume.countDown();
      boolean passed = staleRun.get(60, TimeUnit.SECONDS);

      JsonNode entry = journalEntry(id);
      assertThat(entry.get("state").asText())
          .as("decided on the record before the edit: %s", entry.get("reason").asText())
          .isEqualTo("RECEIVED");
      assertThat(passed).isFalse();
    } finally {
      resume.countDown();
      camel.getRouteController().startRoute(RouteIds.GATES);
    }
    // The fixed record's own gates run (queued by the edit), then its delivery.
    JsonNode sent = awaitState(id, "SENT");
    assertThat(Path.of(sent.get("outboxPath").asText())).startsWith(outbox(P3_GLN));
  }

  private void takeFromGatesQueue(String id) {
    camel
        .getEndpoint(dispatcher.queueUri(RouteIds.GATES), SedaEndpoint.class)
        .getQueue()
        .removeIf(exchange -> id.equals(exchange.getIn().getBody(String.class)));
  }

  @Test
  void registryApi_readsUnitsAndPostboxes_resolvesDryRuns_andRefusesBadUploads() {
    JsonNode unit = operatorClient().get("/api/v1/registry/units/990091000016001").json();
    assertThat(unit.get("unit").get("effectiveGln").asText()).isEqualTo("5790009900023");
    assertThat(unit.get("path").findValuesAsText("name"))
        .containsExactly(
            "Nordby Kommune",
            "Nordby Kommune Hjemmeplejen",
            "Hjemmeplejen Distrikt Nord",
            "Hjemmeplejen Team Nord 1");
    JsonNode closed = operatorClient().get("/api/v1/registry/units/990141000016005").json();
    assertThat(closed.get("successors").get("chain").toString())
        .contains("990131000016003", "990031000016002");

    JsonNode location = operatorClient().get("/api/v1/registry/locations/5790009900023").json();
    assertThat(location.get("owners").findValuesAsText("ownerSorId"))
        .containsExactly("990021000016004");
    assertThat(location.get("usedBy").findValuesAsText("sor")).hasSize(3);

    GatewayClient.Response badSor = operatorClient().get("/api/v1/registry/units/990031000016005");
    assertThat(badSor.status()).isEqualTo(400);
    assertThat(badSor.json().get("resourceType").asText()).isEqualTo("OperationOutcome");
    assertThat(operatorClient().get("/api/v1/registry/locations/5790009900146").status())
        .isEqualTo(404);

    byte[] dryRun = "{\"sor\":\"990141000016005\"}".getBytes(StandardCharsets.UTF_8);
    GatewayClient.Response resolved =
        adminClient().post("/api/v1/registry/resolve", "application/json", dryRun);
    assertThat(resolved.status()).isEqualTo(200);
    assertThat(resolved.json().get("resolution").get("outcome").asText()).isEqualTo("HELD");
    assertThat(resolved.json().get("resolution").get("suggestions").findValuesAsText("sor"))
        .containsExactly("990031000016002");
    assertThat(
            operatorClient().post("/api/v1/registry/resolve", "application/json", dryRun).status())
        .isEqualTo(403);
    GatewayClient.Response notJson =
        adminClient().post("/api/v1/registry/resolve", "application/json", new byte[] {'{'});
    assertThat(notJson.status()).isEqualTo(400);
    assertThat(notJson.json().get("resourceType").asText()).isEqualTo("OperationOutcome");
    assertThat(
            operatorClient()
                .post("/api/v1/registry/snapshots", "application/xml", new byte[] {'<'})
                .status())
        .isEqualTo(403);

    int before = operatorClient().get("/api/v1/registry/snapshots").json().get("items").size();
    GatewayClient.Response bad =
        adminClient()
            .post(
                "/api/v1/registry/snapshots",
                "application/xml",
                "<SorTree><InstitutionOwnerEntity>".getBytes(StandardCharsets.UTF_8));
    assertThat(bad.status()).isEqualTo(422);
    assertThat(bad.json().get("resourceType").asText()).isEqualTo("OperationOutcome");
    JsonNode snapshots = operatorClient().get("/api/v1/registry/snapshots").json();
    assertThat(snapshots.get("items").size()).isEqualTo(before);
    assertThat(snapshots.get("items").findValuesAsText("active")).contains("true");
  }

  /**
   * Every shipped source is bound: the municipality's social psychiatry case system naming the
   * region's ward as sender fails at addressing (R18) like the hospital's EPJ naming the
   * municipality. It was the one unbound mapping (for MedCom's TestScripts), so it reached consent
   * in the region's name.
   */
  @Test
  void socialPsychiatry_namingTheRegionsWardAsSender_fails_R18() throws IOException {
    String source = "nordby-socialpsykiatri";
    ObjectNode note =
        (ObjectNode)
            JSON.readTree(
                Files.readString(
                    TEST_MESSAGES.resolve(source).resolve("status-efter-udskrivelse.json")));
    note.put("journalpostId", "SP-SENDER-" + UUID.randomUUID());
    ((ObjectNode) note.get("afsender")).put("sor", "990031000016002").put("ean", "5790009900030");
    ((ObjectNode) note.get("modtager")).put("sor", "990011000016008").put("ean", "5790009900016");
    GatewayClient.Response response =
        intakeClient(source)
            .post("/api/v1/records/" + source, "application/json", JSON.writeValueAsBytes(note));
    assertThat(response.status()).as(response.body()).isEqualTo(202);
    JsonNode entry = awaitFinal(response.json().get("id").asText());
    assertThat(entry.get("state").asText()).as(entry.toString()).isEqualTo("FAILED");
    assertThat(entry.get("reason").asText())
        .contains("(R18)")
        .contains("990031000016002")
        .contains("990071000016000");
  }

  /**
   * A source bound to its organisation (mapping senders:) cannot send in another's name: the
   * hospital EPJ naming the municipality's social psychiatry as sender is refused at addressing
   * (R18), before consent, and nothing is written to any postbox. It used to go on to the consent
   * gate with the municipality as sender, where a consent would have let it out.
   */
  @Test
  void boundSource_namingAnotherOrganisationsUnitAsSender_fails_R18() throws IOException {
    String hospital = "region-nord-psykiatri";
    ObjectNode note =
        (ObjectNode)
            JSON.readTree(
                Files.readString(
                    TEST_MESSAGES.resolve(hospital).resolve("udskrivningsbrev-egen-laege.json")));
    note.put("journalpostId", "RN-SENDER-" + UUID.randomUUID());
    ((ObjectNode) note.get("afsender")).put("sor", "990011000016008").put("ean", "5790009900016");
    GatewayClient.Response response =
        intakeClient(hospital)
            .post("/api/v1/records/" + hospital, "application/json", JSON.writeValueAsBytes(note));
    assertThat(response.status()).as(response.body()).isEqualTo(202);
    JsonNode entry = awaitState(response.json().get("id").asText(), "FAILED");
    assertThat(entry.get("reason").asText())
        .contains("(R18)")
        .contains("990011000016008")
        .contains("990111000016009");
    JsonNode event = addressing(entry);
    assertThat(event.get("detail").get("sender").toString()).contains("R18");
    // The same letter from its own ward is addressed and goes on.
    ObjectNode own =
        (ObjectNode)
            JSON.readTree(
                Files.readString(
                    TEST_MESSAGES.resolve(hospital).resolve("udskrivningsbrev-egen-laege.json")));
    own.put("journalpostId", "RN-SENDER-" + UUID.randomUUID());
    GatewayClient.Response ok =
        intakeClient(hospital)
            .post("/api/v1/records/" + hospital, "application/json", JSON.writeValueAsBytes(own));
    assertThat(ok.status()).as(ok.body()).isEqualTo(202);
    assertThat(awaitState(ok.json().get("id").asText(), "SENT").get("state").asText())
        .isEqualTo("SENT");
  }
}
