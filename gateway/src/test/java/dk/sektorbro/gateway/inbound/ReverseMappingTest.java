package dk.sektorbro.gateway.inbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.fhir.context.FhirContext;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dk.sektorbro.gateway.mapping.MappingDefinition;
import dk.sektorbro.gateway.mapping.MappingRegistry;
import dk.sektorbro.gateway.mapping.ReverseInput;
import dk.sektorbro.gateway.mapping.ReverseMapper;
import dk.sektorbro.gateway.medcom.CareCommunicationThreads;
import dk.sektorbro.gateway.support.GatewayIntegrationTest;
import dk.sektorbro.gateway.support.TestFiles;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.xpath.XPathFactory;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.MessageHeader;
import org.hl7.fhir.utilities.npm.NpmPackage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;

/**
 * The way back, without Camel or Spring: a hospital's CareCommunication read from the FHIR Bundle
 * and written in each shipped source's own format by its mapping's {@code reverse:} section.
 */
class ReverseMappingTest {

  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2026-11-20T09:30:00Z"), ZoneId.of("Europe/Copenhagen"));
  private static final Map<String, MappingDefinition> MAPPINGS =
      MappingRegistry.load(TestFiles.MAPPINGS);

  @Test
  void read_takesHeaderCitizenTextAuthorAndAttachmentsFromTheBundle() {
    Bundle message =
        HospitalMessages.bundle(
            HospitalMessages.record("1204506021", HospitalMessages.SOCIAL_PSYCHIATRY, "discharge"),
            CLOCK);

    ReverseInput input = ReceivedMessageReader.read(message);

    assertThat(input.fields())
        .containsEntry("messageHeaderId", message.getEntryFirstRep().getResource().getIdPart())
        .containsEntry("citizen.cpr", "1204506021")
        .containsEntry("citizen.familyName", "Prøvesen")
        .containsEntry("sender.sor", "990031000016002")
        .containsEntry("sender.gln", "5790009900030")
        .containsEntry("recipient.sor", "990011000016008")
        .containsEntry("category", "discharge")
        .containsEntry("topic", "Udskrivelse i morgen")
        .containsEntry("text", HospitalMessages.TEXT)
        .containsEntry("author.familyName", "Lund")
        .containsEntry("author.role", "sygeplejerske")
        .containsEntry("author.phone", "+45 70 11 22 33")
        .containsEntry("episodeOfCareId", HospitalMessages.EPISODE)
        .containsKeys("threadId", "sentAt");
    assertThat(input.fields().get("threadId")).doesNotStartWith("urn:uuid:");
    assertThat(input.attachments())
        .singleElement()
        .satisfies(
            a ->
                assertThat(a)
                    .containsEntry("title", "Doseringsæske")
                    .containsEntry("contentType", "image/png")
                    .containsEntry("data", HospitalMessages.PNG));
    assertThat(ReceivedMessageReader.citizenCpr(message)).contains("1204506021");
  }

  @Test
  void socialPsychiatry_json_journalNoteWithTextAndAttachment() throws IOException {
    Bundle message =
        HospitalMessages.bundle(
            HospitalMessages.record("1204506021", HospitalMessages.SOCIAL_PSYCHIATRY, "discharge"),
            CLOCK);

    JsonNode note =
        new ObjectMapper()
            .readTree(
                ReverseMapper.write(
                    MAPPINGS.get("nordby-socialpsykiatri"), ReceivedMessageReader.read(message)));

    assertThat(note.path("journalpostId").asText())
        .isEqualTo(message.getEntryFirstRep().getResource().getIdPart());
    assertThat(note.path("retning").asText()).isEqualTo("modtaget");
    assertThat(note.path("borger").path("cpr").asText()).isEqualTo("1204506021");
    assertThat(note.path("afsender").path("sor").asText()).isEqualTo("990031000016002");
    assertThat(note.path("medarbejder").path("stilling").asText()).isEqualTo("Sygeplejerske");
    assertThat(note.path("kategori").asText()).isEqualTo("Udskrivelse");
    assertThat(note.path("tekst").asText()).isEqualTo(HospitalMessages.TEXT);
    assertThat(note.path("forloebsId").asText()).isEqualTo(HospitalMessages.EPISODE);
    assertThat(note.has("prioritet")).isFalse();
    assertThat(note.path("bilag")).hasSize(1);
    assertThat(note.path("bilag").get(0).path("mimetype").asText()).isEqualTo("image/png");
    assertThat(note.path("bilag").get(0).path("indhold").asText()).isEqualTo(HospitalMessages.PNG);
  }

  @Test
  void homeCare_xml_incomingBeskedWithTextAndAttachment() throws Exception {
    Bundle message =
        HospitalMessages.bundle(
            HospitalMessages.record("1711538456", HospitalMessages.HOME_CARE, "medicine"), CLOCK);

    byte[] xml =
        ReverseMapper.write(
            MAPPINGS.get("nordby-hjemmepleje"), ReceivedMessageReader.read(message));

    Document doc =
        DocumentBuilderFactory.newInstance()
            .newDocumentBuilder()
            .parse(new ByteArrayInputStream(xml));
    var xpath = XPathFactory.newInstance().newXPath();
    assertThat(xpath.evaluate("/besked/@id", doc))
        .isEqualTo(message.getEntryFirstRep().getResource().getIdPart());
    assertThat(xpath.evaluate("/besked/@type", doc)).isEqualTo("MEDICIN");
    assertThat(xpath.evaluate("/besked/@retning", doc)).isEqualTo("IND");
    assertThat(xpath.evaluate("/besked/borger/cpr", doc)).isEqualTo("1711538456");
    assertThat(xpath.evaluate("/besked/afsender/@rolle", doc)).isEqualTo("SPL");
    assertThat(xpath.evaluate("/besked/afsender/organisation/lokationsnummer", doc))
        .isEqualTo("5790009900030");
    assertThat(xpath.evaluate("/besked/modtager/sor", doc)).isEqualTo("990021000016004");
    assertThat(xpath.evaluate("/besked/indhold", doc)).isEqualTo(HospitalMessages.TEXT);
    assertThat(xpath.evaluate("count(/besked/bilag)", doc)).isEqualTo("1");
    assertThat(xpath.evaluate("/besked/bilag/@titel", doc)).isEqualTo("Doseringsæske");
    assertThat(xpath.evaluate("/besked/bilag", doc)).isEqualTo(HospitalMessages.PNG);
  }

  @Test
  void reply_newestTextOnly_earlierAttachmentsWithoutDataLeftOut() {
    Bundle first =
        HospitalMessages.bundle(
            HospitalMessages.record("1204506021", HospitalMessages.HOME_CARE, "medicine"), CLOCK);
    var answer = HospitalMessages.record("1204506021", HospitalMessages.HOME_CARE, "medicine");
    answer = answer.withText("Svar: tak.").withAttachments(List.of());
    Bundle reply =
        CareCommunicationThreads.continueThread(
            HospitalMessages.bundle(answer, CLOCK),
            List.of(first),
            CareCommunicationThreads.Kind.REPLY);

    ReverseInput input = ReceivedMessageReader.read(reply);

    assertThat(input.fields())
        .containsEntry("text", "Svar: tak.")
        .containsEntry(
            "messageHeaderId",
            ((MessageHeader) reply.getEntryFirstRep().getResource()).getIdPart());
    assertThat(input.fields().get("threadId"))
        .isEqualTo(ReceivedMessageReader.read(first).fields().get("threadId"));
    assertThat(input.attachments()).isEmpty();
  }

  @Test
  void attachmentOnlyReply_carriesNoText_notTheEarlierMessagesText() {
    Bundle first =
        HospitalMessages.bundle(
            HospitalMessages.record("1204506021", HospitalMessages.HOME_CARE, "medicine"), CLOCK);
    var answer = HospitalMessages.record("1204506021", HospitalMessages.HOME_CARE, "medicine");
    answer = answer.withText(null);
    Bundle reply =
        CareCommunicationThreads.continueThread(
            HospitalMessages.bundle(answer, CLOCK),
            List.of(first),
            CareCommunicationThreads.Kind.REPLY);

    ReverseInput input = ReceivedMessageReader.read(reply);

    // MedCom allows a reply that adds only an attachment; the earlier text it repeats is not news.
    assertThat(input.fields()).doesNotContainKey("text");
    assertThat(input.attachments())
        .singleElement()
        .satisfies(a -> assertThat(a).containsEntry("title", "Doseringsæske"));
    assertThat(ReverseMapper.write(MAPPINGS.get("nordby-socialpsykiatri"), input)).isNotEmpty();
  }

  @Test
  void officialExample_referralWithPdfAndLink_inTheSocialPsychiatryFormat() throws IOException {
    Bundle example = officialExample("Bundle-gfd00bc2-9c26-4174-934e-f6e4360845de.json");

    ReverseInput input = ReceivedMessageReader.read(example);
    JsonNode note =
        new ObjectMapper()
            .readTree(ReverseMapper.write(MAPPINGS.get("nordby-socialpsykiatri"), input));

    assertThat(note.path("journalpostId").asText())
        .isEqualTo("375293b8-2f91-4d08-b13a-83ea76b6d001");
    assertThat(note.path("borger").path("cpr").asText()).isEqualTo("2509479989");
    assertThat(note.path("kategori").asText()).isEqualTo("Henvisning");
    assertThat(note.path("prioritet").asText()).isEqualTo("Haster");
    assertThat(note.path("emne").asText()).isEqualTo("Journal notat");
    assertThat(note.path("tekst").asText())
        .startsWith("Hi, I've attached the following journal note.");
    assertThat(note.path("afsender").path("sor").asText()).isEqualTo("265161000016000");
    assertThat(note.path("modtager").path("navn").asText()).isEqualTo("Plejecenter Herlev");
    assertThat(note.path("bilag")).hasSize(2);
    assertThat(note.path("bilag").get(0).path("mimetype").asText()).isEqualTo("application/pdf");
    assertThat(note.path("bilag").get(0).path("indhold").asText()).startsWith("JVBER");
    assertThat(note.path("bilag").get(1).path("link").asText()).isEqualTo("https://medcom.dk/");
  }

  @Test
  void officialExample_forwardedThread_onlyWhatItsOwnProvenanceAdded() {
    Bundle example = officialExample("Bundle-d11968f5-4bdf-4b50-b146-a8e1cc890fc3.json");

    ReverseInput input = ReceivedMessageReader.read(example);

    assertThat(input.fields().get("text")).startsWith("Hej Emma");
    assertThat(input.fields())
        .containsEntry("messageHeaderId", "2654e182-cfee-4537-b744-e36231ebe2f3");
    // The thread's earlier PDF comes without data, its earlier link was added by an earlier
    // message.
    assertThat(input.attachments())
        .singleElement()
        .satisfies(
            a ->
                assertThat(a)
                    .containsEntry("url", "https://medcom.dk/projekter/korrespondancemeddelelse/")
                    .doesNotContainKey("data"));
  }

  private static Bundle officialExample(String file) {
    Path tgz =
        GatewayIntegrationTest.MEDCOM_PACKAGES.resolve(
            "medcom.fhir.dk.carecommunication-5.0.2.tgz");
    try (var in = Files.newInputStream(tgz);
        var example = NpmPackage.fromPackage(in).load("example", file)) {
      return FhirContext.forR4Cached().newJsonParser().parseResource(Bundle.class, example);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Test
  void categoryWithoutWayBack_isAnError_unlessTheRuleKeepsIt() {
    ReverseInput input =
        new ReverseInput(Map.of("category", "telemedicine", "priority", "stat"), List.of());
    MappingDefinition sp = MAPPINGS.get("nordby-socialpsykiatri");

    // kategori keeps MedCom's code; prioritet has no "keep" and "stat" has no source code.
    assertThatThrownBy(() -> ReverseMapper.write(sp, input))
        .isInstanceOf(ReverseMapper.ReverseMappingException.class)
        .hasMessageContaining("prioritet")
        .hasMessageContaining("priorities");
    String json =
        new String(
            ReverseMapper.write(
                sp, new ReverseInput(Map.of("category", "telemedicine"), List.of())));
    assertThat(json).contains("\"kategori\" : \"telemedicine\"");
  }

  @Test
  void brokenReverseSection_stopsTheStartNamingFieldAndRule(@TempDir Path dir) throws IOException {
    Files.writeString(
        dir.resolve("odder.yaml"),
        """
        source: odder
        format: xml
        recordId: { path: /b/@id }
        fields:
          citizen.cpr: { path: /b/cpr }
        reverse:
          fields:
            /b/@id:       { from: messageHeaderId }
            /b/sko:       { from: citizen.shoeSize }
            "b/relative": { from: text }
            /b/kategori:  { from: category, map: nowhere }
          attachments:
            each: bilag
            fields:
              "@titel": { from: name }
              "@link":  { from: url }
        """);

    assertThatThrownBy(() -> MappingRegistry.load(dir))
        .isInstanceOf(MappingRegistry.InvalidMappingException.class)
        .hasMessageContaining("reverse.fields./b/sko: unknown field 'citizen.shoeSize'")
        .hasMessageContaining("reverse.fields.b/relative: invalid target path")
        .hasMessageContaining("reverse.fields./b/kategori: value map 'nowhere' is not defined")
        .hasMessageContaining("reverse.attachments.each")
        .hasMessageContaining("reverse.attachments.fields.@titel: unknown field 'name'");
  }
}
