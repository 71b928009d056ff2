package dk.sektorbro.gateway.intake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ca.uhn.fhir.context.FhirContext;
import com.fasterxml.jackson.databind.JsonNode;
import dk.sektorbro.gateway.medcom.SampleMessages;
import dk.sektorbro.gateway.support.GatewayIntegrationTest;
import dk.sektorbro.gateway.support.SampleConsents;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Communication;
import org.hl7.fhir.r4.model.MessageHeader;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Every valid sample dropped into its source's inbox arrives as a MedCom message in the right
 * postbox, once the citizen's consent covers it (without one it is held: see ConsentEndToEndTest).
 */
@ExtendWith(OutputCaptureExtension.class)
class FileDropEndToEndTest extends GatewayIntegrationTest {

  private static final FhirContext FHIR = FhirContext.forR4Cached();

  @Autowired JdbcClient jdbc;

  @Test
  void everyValidSample_arrivesInTheRecipientsPostbox_withItsHistory(CapturedOutput log)
      throws IOException {
    List<Path> samples = SampleMessages.validSamples();
    assertThat(samples).hasSizeGreaterThanOrEqualTo(10);
    SampleConsents.recordAll(adminClient());
    // The application is shared: each sample under a record id and file name of its own, counted
    // from the messages sent before.
    int sentBefore = sentTotal();
    Map<Path, String> names = new LinkedHashMap<>();
    for (Path sample : samples) {
      // Named in the order written: files of one modification time are read by name, and the
      // plan's version 1 must be read before its version 2 (which would make it superseded).
      String order = String.format("%02d", names.size());
      names.put(sample, order + "-" + freshRecordId("drop") + "-" + sample.getFileName());
      drop(sourceOf(sample), names.get(sample), withFreshId(Files.readAllBytes(sample)));
    }

    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () -> assertThat(sentTotal()).as(this::notSent).isEqualTo(sentBefore + samples.size()));

    for (Path sample : samples) {
      JsonNode entry = entryFor(names.get(sample));
      assertThat(entry.get("state").asText()).as(names.get(sample)).isEqualTo("SENT");
      String gln = entry.get("recipient").get("gln").asText();
      Path file = outbox(gln).resolve(entry.get("messageHeaderId").asText() + ".xml");
      assertThat(file).exists();
      Bundle bundle = FHIR.newXmlParser().parseResource(Bundle.class, Files.readString(file));
      MessageHeader header = (MessageHeader) bundle.getEntryFirstRep().getResource();
      assertThat(header.getIdPart()).isEqualTo(entry.get("messageHeaderId").asText());
      Organization receiver =
          (Organization) header.getDestinationFirstRep().getReceiver().getResource();
      assertThat(receiver.getIdentifier()).anyMatch(i -> i.getValue().equals(gln));
      assertThat(bundle.getEntry()).filteredOn(e -> e.getResource() instanceof Patient).hasSize(1);
      assertThat(bundle.getEntry())
          .filteredOn(e -> e.getResource() instanceof Communication)
          .hasSize(1);
      List<String> states = new ArrayList<>();
      entry.get("history").forEach(h -> states.add(h.get("state").asText()));
      assertThat(states).containsSubsequence("RECEIVED", "TRANSLATED", "VALIDATED", "SENT");
      assertThat(entry.get("history"))
          .anyMatch(
              h ->
                  h.get("stage").asText().equals("consent")
                      && h.get("detail").get("decision").asText().equals("PERMIT"));
      assertThat(entry.get("original").get("content").asText()).isNotBlank();
    }
    // Counters per state and timers per stage are exposed for Prometheus.
    String metrics = adminClient().get("/actuator/prometheus").body();
    assertThat(metrics)
        .contains("gateway_messages_total{")
        .contains("state=\"SENT\"")
        .contains("gateway_stage_duration_seconds_count{")
        .contains("stage=\"validate\"");
    assertThat(operatorClient().get("/actuator/health").body())
        .contains("\"camelHealth\"")
        .contains("\"db\"");
    // Personal data never reaches the log: no CPR (with or without hyphen), no names, no text.
    for (Path sample : samples) {
      JsonNode record = entryFor(names.get(sample)).get("canonicalRecord");
      String cpr = record.get("citizen").get("cpr").asText();
      assertThat(log.getAll())
          .doesNotContain(cpr)
          .doesNotContain(cpr.substring(0, 6) + "-" + cpr.substring(6))
          .doesNotContain(record.get("citizen").get("familyName").asText())
          .doesNotContain(record.get("text").asText().lines().findFirst().orElseThrow());
    }
    // Nothing is left behind in the inboxes.
    try (Stream<Path> left = Files.walk(dataDir().resolve("inbox"))) {
      assertThat(left.filter(Files::isRegularFile)).isEmpty();
    }
  }

  /** What the failure message shows: each entry that has not arrived, with its state and reason. */
  private String notSent() {
    StringBuilder out = new StringBuilder("not sent:");
    for (JsonNode item : operatorClient().get("/api/v1/messages?size=200").json().get("items")) {
      if (!"SENT".equals(item.get("state").asText())) {
        out.append("\n  ")
            .append(item.get("originalName").asText())
            .append(' ')
            .append(item.get("state").asText())
            .append(' ')
            .append(item.path("reason").asText());
      }
    }
    return out.toString();
  }

  private int sentTotal() {
    return operatorClient().get("/api/v1/messages?state=SENT").json().get("total").asInt();
  }

  // A writer that can put files into an inbox could put a symbolic link there: the gateway read
  // the link's target (any file its user may read, data/credentials included) and kept it in the
  // journal as the "original", for every operator to see. A link is refused unread.
  @Test
  void symbolicLinkInTheInbox_isRefusedWithoutReadingItsTarget() throws IOException {
    Path secret =
        Files.writeString(Files.createTempDirectory("outside-").resolve("s.txt"), "geheim");
    Path inbox = inbox("nordby-socialpsykiatri");
    String name = freshRecordId("link") + ".json";
    Path temporary = Files.createSymbolicLink(inbox.resolve("." + name + ".tmp"), secret);
    Files.move(temporary, inbox.resolve(name));

    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(() -> assertThat(inbox.resolve(name)).doesNotExist());
    JsonNode entry = entryFor(name);
    assertThat(entry.get("state").asText()).isEqualTo("FAILED");
    assertThat(entry.get("reason").asText()).contains("symbolic link");
    assertThat(entry.toString()).doesNotContain("geheim");
    assertThat(secret).hasContent("geheim");
  }

  // The copy to the error folder is the fallback when a file cannot be journaled as it is: it
  // must not read through a link either. The refusal of the link fails once (a trigger), the way a
  // momentary database error would; the link then waits in the inbox and is refused unread on a
  // later poll, and its target is copied nowhere.
  @Test
  void symbolicLink_whoseRefusalFailsOnce_isNeverCopiedToTheErrorFolder() throws IOException {
    String name = freshRecordId("link-once") + ".json";
    jdbc.sql("CREATE SEQUENCE link_refusal_attempts").update();
    jdbc.sql(
            """
            CREATE FUNCTION refuse_link_once() RETURNS trigger AS $$
            BEGIN
              IF NEW.original_name = '%s' AND nextval('link_refusal_attempts') = 1 THEN
                RAISE EXCEPTION 'refused once by the test';
              END IF;
              RETURN NEW;
            END $$ LANGUAGE plpgsql"""
                .formatted(name))
        .update();
    jdbc.sql(
            "CREATE TRIGGER refuse_link_once BEFORE INSERT ON journal_entry"
                + " FOR EACH ROW EXECUTE FUNCTION refuse_link_once()")
        .update();
    try {
      Path secret =
          Files.writeString(Files.createTempDirectory("outside-").resolve("s.txt"), "geheim-2");
      Path inbox = inbox("nordby-socialpsykiatri");
      Path temporary = Files.createSymbolicLink(inbox.resolve("." + name + ".tmp"), secret);
      Path link = Files.move(temporary, inbox.resolve(name));

      await()
          .atMost(Duration.ofSeconds(60))
          .untilAsserted(
              () -> assertThat(Files.notExists(link, LinkOption.NOFOLLOW_LINKS)).isTrue());
      assertThat(jdbc.sql("SELECT nextval('link_refusal_attempts')").query(Long.class).single())
          .as("the refusal failed once and was made again")
          .isGreaterThan(2);
      JsonNode entry = entryFor(name);
      assertThat(entry.get("state").asText()).isEqualTo("FAILED");
      assertThat(entry.get("reason").asText()).contains("symbolic link");
      assertThat(secret).hasContent("geheim-2");
      Path errors = properties.errorDir();
      if (Files.exists(errors)) {
        try (Stream<Path> files = Files.walk(errors)) {
          for (Path file : files.filter(Files::isRegularFile).toList()) {
            assertThat(Files.readString(file)).as(file.toString()).doesNotContain("geheim-2");
          }
        }
      }
    } finally {
      jdbc.sql("DROP TRIGGER refuse_link_once ON journal_entry").update();
      jdbc.sql("DROP FUNCTION refuse_link_once()").update();
      jdbc.sql("DROP SEQUENCE link_refusal_attempts").update();
    }
  }

  // A municipal system that writes into a folder of its own (inbox/<source>/2026/record.json)
  // lost every record silently: the folder was never read and nothing was journaled. A record in
  // a subfolder is taken up into the inbox (named after its folders) and read like any other; the
  // folders stay, since the writer may expect them.
  @Test
  void recordInASubfolderOfTheInbox_isReadAsARecord_andItsFoldersStay() throws IOException {
    Path sample = sampleOf("nordby-socialpsykiatri");
    Path inbox = inbox("nordby-socialpsykiatri");
    String name = freshRecordId("sub") + ".json";
    String deeper = freshRecordId("sub-deep") + ".json";
    Path year = Files.createDirectories(inbox.resolve("2026"));
    Path nested = Files.createDirectories(inbox.resolve("a").resolve("b"));
    Files.write(year.resolve(name), withFreshId(Files.readAllBytes(sample)));
    Files.write(nested.resolve(deeper), withFreshId(Files.readAllBytes(sample)));

    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              assertThat(year.resolve(name)).doesNotExist();
              assertThat(nested.resolve(deeper)).doesNotExist();
            });
    for (String originalName : List.of("2026--" + name, "a--b--" + deeper)) {
      // Moved up first, then read once stable like any inbox file: the entry follows the move.
      AtomicReference<JsonNode> found = new AtomicReference<>();
      await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> found.set(entryFor(originalName)));
      JsonNode entry = found.get();
      assertThat(entry.get("state").asText()).as(originalName).isNotEqualTo("FAILED");
      assertThat(entry.get("canonicalRecord").isObject()).as(originalName).isTrue();
    }
    assertThat(year).isDirectory();
    assertThat(nested).isDirectory();
  }

  // The same link safety below the inbox: a link in a subfolder, and a link to a folder (which
  // would otherwise be descended into, or lie unseen), are journaled FAILED unread and removed;
  // their targets are untouched.
  @Test
  void symbolicLinksInASubfolder_orToAFolder_areRefusedUnread() throws IOException {
    Path outside = Files.createTempDirectory("outside-");
    Path secret = Files.writeString(outside.resolve("s.json"), "geheim-3");
    Path inbox = inbox("nordby-socialpsykiatri");
    Path year = Files.createDirectories(inbox.resolve("2027"));
    String fileLink = freshRecordId("sub-link") + ".json";
    String folderLink = freshRecordId("folder-link");
    Files.createSymbolicLink(year.resolve(fileLink), secret);
    Files.createSymbolicLink(inbox.resolve(folderLink), outside);

    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              assertThat(Files.notExists(year.resolve(fileLink), LinkOption.NOFOLLOW_LINKS))
                  .isTrue();
              assertThat(Files.notExists(inbox.resolve(folderLink), LinkOption.NOFOLLOW_LINKS))
                  .isTrue();
            });
    for (String originalName : List.of("2027--" + fileLink, folderLink)) {
      JsonNode entry = entryFor(originalName);
      assertThat(entry.get("state").asText()).as(originalName).isEqualTo("FAILED");
      assertThat(entry.get("reason").asText()).as(originalName).contains("symbolic link");
      assertThat(entry.toString()).doesNotContain("geheim-3");
    }
    assertThat(secret).hasContent("geheim-3");
    assertThat(outside).isDirectory();
  }

  private static Path sampleOf(String source) {
    return SampleMessages.validSamples().stream()
        .filter(sample -> sourceOf(sample).equals(source))
        .findFirst()
        .orElseThrow();
  }

  private JsonNode entryFor(String fileName) {
    for (JsonNode item : operatorClient().get("/api/v1/messages?size=200").json().get("items")) {
      if (fileName.equals(item.get("originalName").asText())) {
        return operatorClient().get("/api/v1/messages/" + item.get("id").asText()).json();
      }
    }
    throw new AssertionError("no entry for " + fileName);
  }

  static String sourceOf(Path sample) {
    return sample.getParent().getFileName().toString();
  }
}
