package dk.sektorbro.gateway.mapping;

import static org.assertj.core.api.Assertions.assertThat;

import dk.sektorbro.gateway.mapping.MappingOutcome.Invalid;
import dk.sektorbro.gateway.mapping.MappingOutcome.Malformed;
import dk.sektorbro.gateway.mapping.MappingOutcome.Mapped;
import dk.sektorbro.gateway.record.CanonicalRecord;
import dk.sektorbro.gateway.support.TestFiles;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The shipped mappings applied to the shipped samples, without Spring or Camel. */
class RecordMapperTest {

  private static final Map<String, MappingDefinition> MAPPINGS =
      MappingRegistry.load(TestFiles.MAPPINGS);
  private static final RecordMapper MAPPER = new RecordMapper(new CanonicalRecordRules());

  static List<Path> validSamples() {
    return MAPPINGS.keySet().stream().flatMap(s -> TestFiles.validSamples(s).stream()).toList();
  }

  @ParameterizedTest
  @MethodSource("validSamples")
  void everyValidSample_maps(Path sample) {
    MappingOutcome outcome = map(sample);
    assertThat(outcome).as(outcome.toString()).isInstanceOf(Mapped.class);
    CanonicalRecord r = ((Mapped) outcome).record();
    assertThat(r.citizen().cpr()).matches("\\d{10}");
    assertThat(r.sender().gln()).matches("\\d{13}");
    assertThat(r.recipient().sor()).isNotNull();
    assertThat(r.text()).isNotBlank();
    assertThat(r.informationCategories()).isNotEmpty();
    assertThat(r.purpose()).isNotNull();
  }

  @Test
  void jsonSource_mapsEveryField() {
    CanonicalRecord r = mapped("nordby-socialpsykiatri", "henvisning-prioritet.json");
    assertThat(r.sourceRecordId()).isEqualTo("SP-2026-000105");
    assertThat(r.citizen().cpr()).isEqualTo("3112558012");
    assertThat(r.citizen().familyName()).isEqualTo("Opdigtetsen");
    assertThat(r.sender().sor()).isEqualTo("990011000016008");
    assertThat(r.sender().gln()).isEqualTo("5790009900016");
    assertThat(r.author().role()).isEqualTo("socialraadgiver");
    assertThat(r.author().phone()).isEqualTo("+45 20 11 22 33");
    assertThat(r.recipient().gln()).isEqualTo("5790009900061");
    assertThat(r.category()).isEqualTo("regarding-referral");
    assertThat(r.priority()).isEqualTo("asap");
    assertThat(r.episodeOfCareId()).isEqualTo("7c0f3b4e-2d11-4a8e-9f5b-1b2c3d4e5f60");
    assertThat(r.informationCategories()).containsExactly("social-conditions", "current-treatment");
    assertThat(r.purpose()).isEqualTo("care-coordination");
    assertThat(r.sentAt()).hasToString("2026-11-20T09:14+01:00");
  }

  @Test
  void jsonSource_mapsAttachments() {
    CanonicalRecord r = mapped("nordby-socialpsykiatri", "koordinering-med-bilag.json");
    assertThat(r.attachments())
        .singleElement()
        .satisfies(
            a -> {
              assertThat(a.title()).isEqualTo("Handleplan.pdf");
              assertThat(a.contentType()).isEqualTo("application/pdf");
              assertThat(Base64.getDecoder().decode(a.data()))
                  .startsWith("%PDF".getBytes(StandardCharsets.US_ASCII));
              assertThat(a.creation()).isNotNull();
            });
  }

  @Test
  void xmlSource_takesSenderFromTheMappingAndDefaultsThePhone() {
    CanonicalRecord r = mapped("nordby-hjemmepleje", "medicinaendring-med-bilag.xml");
    assertThat(r.sourceRecordId()).isEqualTo("HP-2026-5004");
    assertThat(r.sender().sor()).isEqualTo("990021000016004");
    assertThat(r.sender().name()).isEqualTo("Nordby Kommune, Hjemmeplejen");
    assertThat(r.author().phone()).isEqualTo("+45 70 10 20 30");
    assertThat(r.author().role()).isEqualTo("socialogsundhedsassistent");
    assertThat(r.category()).isEqualTo("medicine");
    assertThat(r.informationCategories()).containsExactly("medication");
    assertThat(r.purpose()).isEqualTo("current-treatment");
    assertThat(r.sentAt().getOffset().getTotalSeconds())
        .isEqualTo(3600); // local time read as Danish time
    assertThat(r.attachments())
        .singleElement()
        .satisfies(
            a -> {
              assertThat(a.contentType()).isEqualTo("image/png");
              assertThat(a.data()).doesNotContainAnyWhitespaces();
            });
  }

  @Test
  void unmappedRole_isKeptAsText() {
    String json =
        new String(
                TestFiles.read(sample("nordby-socialpsykiatri", "medicin-spoergsmaal.json")),
                StandardCharsets.UTF_8)
            .replace("\"Socialrådgiver\"", "\"Bostøttemedarbejder\"");
    Mapped mapped =
        (Mapped)
            MAPPER.map(
                MAPPINGS.get("nordby-socialpsykiatri"), json.getBytes(StandardCharsets.UTF_8));
    assertThat(mapped.record().author().role()).isEqualTo("Bostøttemedarbejder");
  }

  @Test
  void missingCpr_namesTheFieldAndSourcePath() {
    Invalid invalid = (Invalid) map(sample("nordby-socialpsykiatri", "invalid/missing-cpr.json"));
    assertThat(invalid.recordId()).isEqualTo("SP-BAD-2");
    assertThat(invalid.issues())
        .singleElement()
        .satisfies(
            i -> {
              assertThat(i.field()).isEqualTo("citizen.cpr");
              assertThat(i.sourcePath()).contains("borger.cpr");
              assertThat(i.rule()).isEqualTo("required");
            });
  }

  @Test
  void threadFields_replyAndPartialForward() {
    CanonicalRecord reply = record("reply-message.json");
    assertThat(reply.thread().action()).isEqualTo("reply");
    assertThat(reply.thread().threadId())
        .isEqualTo("urn:uuid:b2eb3d0e-5de5-4de9-b2a3-0ff321ad1c3a");
    CanonicalRecord forward = record("forward-partialthread.json");
    assertThat(forward.thread().action()).isEqualTo("forward");
    assertThat(forward.thread().segments())
        .containsExactly("urn:uuid:24a4d8f0-6490-46ef-95bd-b699198fdc00");
    assertThat(record("reply-new.json").thread().episodeOfCareId())
        .isEqualTo("7c0f3b4e-2d11-4a8e-9f5b-1b2c3d4e5f60");
    assertThat(mapped("nordby-socialpsykiatri", "medicin-spoergsmaal.json").thread()).isNull();
  }

  @Test
  void replacementCpr_unitsLinkAndAttachmentAuthor() {
    CanonicalRecord tec04 = record("region-nord-psykiatri", "tec-04.json");
    assertThat(tec04.citizen().cpr()).isNull();
    assertThat(tec04.citizen().replacementCpr()).isEqualTo("0703921VJ5");
    assertThat(tec04.citizen().replacementCprSystem()).isEqualTo("urn:oid:1.2.208.176.1.6.1.1");
    CanonicalRecord tec02 = record("tec-02.json");
    assertThat(tec02.senderUnit()).isEqualTo("Bostøtteteam Nord");
    assertThat(tec02.recipientUnit()).isEqualTo("Udskrivningskoordinatorerne");
    CanonicalRecord.Attachment link = record("attachment-link.json").attachments().get(0);
    assertThat(link.url()).isEqualTo("https://www.nordby.dk/bostoette/vejledning");
    assertThat(link.data()).isNull();
    CanonicalRecord.Author author =
        record("attachment-structured.json").attachments().get(0).author();
    assertThat(author.familyName()).isEqualTo("Lund");
    assertThat(author.role()).isEqualTo("psykolog");
  }

  @Test
  void newFields_areChecked_withoutEchoingValues() {
    String tec04 =
        new String(TestFiles.read(RECORDS.resolve("tec-04.json")), StandardCharsets.UTF_8);
    Invalid badSystem =
        (Invalid)
            map(
                "region-nord-psykiatri",
                tec04
                    .replace("\"erstatningsCprType\": \"X-eCPR\"", "\"erstatningsCprType\": \"Z\"")
                    .getBytes(StandardCharsets.UTF_8));
    assertThat(badSystem.issues())
        .extracting(MappingIssue::rule)
        .containsExactly("value-map:replacementCprSystems");
    Invalid noIdentifier =
        (Invalid)
            map(
                "region-nord-psykiatri",
                tec04
                    .replace("\"erstatningsCpr\": \"0703921VJ5\",", "")
                    .getBytes(StandardCharsets.UTF_8));
    assertThat(noIdentifier.issues())
        .extracting(MappingIssue::field)
        .containsExactly("citizen.cpr");
    String link =
        new String(TestFiles.read(RECORDS.resolve("attachment-link.json")), StandardCharsets.UTF_8);
    Invalid notALink =
        (Invalid)
            map(
                "nordby-socialpsykiatri",
                link.replace("https://www.nordby.dk/bostoette/vejledning", "ftp://x")
                    .getBytes(StandardCharsets.UTF_8));
    assertThat(notALink.issues()).extracting(MappingIssue::rule).containsExactly("web-link");
    String reply =
        new String(TestFiles.read(RECORDS.resolve("reply-message.json")), StandardCharsets.UTF_8);
    Invalid noTarget =
        (Invalid)
            map(
                "nordby-socialpsykiatri",
                reply
                    .replaceAll("\"traadId\": \"[^\"]+\"", "\"andet\": \"x\"")
                    .getBytes(StandardCharsets.UTF_8));
    assertThat(noTarget.issues())
        .extracting(MappingIssue::rule)
        .containsExactly("thread-reference");
    assertThat(noTarget.summary()).doesNotContain("b2eb3d0e");
  }

  // MedCom: payload:string 1..* over the whole message. A reply repeats the earlier text, so it may
  // add
  // attachments alone; a new message, or a forward of chosen segments, needs its own text.
  @Test
  void attachmentOnlyReply_isAccepted() {
    CanonicalRecord reply = record("reply-attachment.json");
    assertThat(reply.text()).isNull();
    assertThat(reply.thread().action()).isEqualTo("reply");
    assertThat(reply.attachments())
        .singleElement()
        .satisfies(a -> assertThat(a.title()).isEqualTo("Handleplan.pdf"));
  }

  @Test
  void attachmentOnlyNewMessageOrPartialForward_isRefusedWithAReason() {
    String reply =
        new String(
            TestFiles.read(RECORDS.resolve("reply-attachment.json")), StandardCharsets.UTF_8);
    String withoutThread = reply.replaceAll("(?s),\\s*\"traad\": \\{[^}]*\\}", "");
    assertThat(withoutThread).doesNotContain("traad");
    Invalid newMessage =
        (Invalid) map("nordby-socialpsykiatri", withoutThread.getBytes(StandardCharsets.UTF_8));
    assertThat(newMessage.issues())
        .singleElement()
        .satisfies(
            i -> {
              assertThat(i.field()).isEqualTo("text");
              assertThat(i.sourcePath()).contains("tekst");
              assertThat(i.rule()).isEqualTo("required");
              assertThat(i.message())
                  .contains("a new message")
                  .contains("needs a text segment")
                  .contains("only a reply");
            });
    Invalid partialForward =
        (Invalid)
            map(
                "nordby-socialpsykiatri",
                reply
                    .replace(
                        "\"handling\": \"svar\"",
                        "\"handling\": \"videresend\", \"segmenter\": [\"urn:uuid:24a4d8f0-6490-46ef-95bd-b699198fdc00\"]")
                    .getBytes(StandardCharsets.UTF_8));
    assertThat(partialForward.issues())
        .extracting(MappingIssue::field, MappingIssue::rule)
        .containsExactly(Tuple.tuple("text", "required"));
    String emptyReply = reply.replaceAll("(?s)\"bilag\": \\[.*?\\],", "");
    assertThat(emptyReply).doesNotContain("bilag");
    Invalid nothingAdded =
        (Invalid) map("nordby-socialpsykiatri", emptyReply.getBytes(StandardCharsets.UTF_8));
    assertThat(nothingAdded.issues())
        .extracting(MappingIssue::rule)
        .containsExactly("text-or-attachment");
  }

  // A source that writes one category as a string instead of a list of one: the categories were
  // read as none, and the message was held for consent that in fact covered it. XML has no such
  // difference (one element is a list of one); JSON now reads the same.
  @Test
  void oneValueWhereAListIsExpected_isReadAsAListOfOne() {
    String note =
        new String(
            TestFiles.read(sample("nordby-socialpsykiatri", "status-efter-udskrivelse.json")),
            StandardCharsets.UTF_8);
    String oneString =
        note.replaceFirst(
            "\"oplysningstyper\": \\[[^\\]]*\\]", "\"oplysningstyper\": \"sociale-forhold\"");
    assertThat(oneString).isNotEqualTo(note);
    MappingOutcome outcome =
        map("nordby-socialpsykiatri", oneString.getBytes(StandardCharsets.UTF_8));
    assertThat(outcome).as(outcome.toString()).isInstanceOf(Mapped.class);
    assertThat(((Mapped) outcome).record().informationCategories())
        .containsExactly("social-conditions");
    // An attachment given as a bare text was dropped without a word; now it is an attachment that
    // lacks its fields, and the record is refused naming them.
    String bareAttachment =
        note.replaceFirst("\"samtykke\":", "\"bilag\": \"Handleplan.pdf\", \"samtykke\":");
    assertThat(bareAttachment).isNotEqualTo(note);
    MappingOutcome refused =
        map("nordby-socialpsykiatri", bareAttachment.getBytes(StandardCharsets.UTF_8));
    assertThat(refused).as(refused.toString()).isInstanceOf(Invalid.class);
    assertThat(((Invalid) refused).issues())
        .extracting(MappingIssue::field)
        .contains("attachments[0].title");
  }

  private static final Path RECORDS = TestFiles.TEST_MESSAGES.resolve("testscripts/records");

  private static CanonicalRecord record(String file) {
    return record("nordby-socialpsykiatri", file);
  }

  private static CanonicalRecord record(String source, String file) {
    MappingOutcome outcome = map(source, TestFiles.read(RECORDS.resolve(file)));
    assertThat(outcome).as(outcome.toString()).isInstanceOf(Mapped.class);
    return ((Mapped) outcome).record();
  }

  @Test
  void invalidCpr_isRefusedWithoutEchoingTheNumber() {
    Invalid invalid = (Invalid) map(sample("nordby-socialpsykiatri", "invalid/invalid-cpr.json"));
    assertThat(invalid.issues())
        .singleElement()
        .satisfies(i -> assertThat(i.rule()).isEqualTo("cpr"));
    assertThat(invalid.summary()).doesNotContain("310245");
  }

  @Test
  void priorityOutsideReferral_isRefused() {
    Invalid invalid =
        (Invalid) map(sample("nordby-socialpsykiatri", "invalid/priority-not-referral.json"));
    assertThat(invalid.issues())
        .extracting(MappingIssue::rule)
        .containsExactly("priority-only-referral");
  }

  @Test
  void unknownCategory_namesTheValueMap() {
    Invalid invalid =
        (Invalid) map(sample("nordby-socialpsykiatri", "invalid/unknown-category.json"));
    assertThat(invalid.issues())
        .extracting(MappingIssue::rule)
        .containsExactly("value-map:categories");
  }

  // A source system that sends a group where the mapping expects a value (FHIR-style given names
  // as an array, a text as an object) gave no value at all: an optional field vanished from the
  // message without a word, a required one was reported missing though it was there.
  @Test
  void jsonGroupWhereAValueIsExpected_isRefusedNamingTheField_neverDropped() {
    String note =
        new String(
            TestFiles.read(sample("nordby-socialpsykiatri", "status-efter-udskrivelse.json")),
            StandardCharsets.UTF_8);
    Invalid givenNames =
        (Invalid)
            map(
                "nordby-socialpsykiatri",
                note.replace("\"fornavn\": \"Asta\"", "\"fornavn\": [\"Asta\", \"Marie\"]")
                    .getBytes(StandardCharsets.UTF_8));
    assertThat(givenNames.issues())
        .extracting(MappingIssue::field, MappingIssue::rule)
        .containsExactly(Tuple.tuple("citizen.givenName", "not-a-value"));
    assertThat(givenNames.summary()).doesNotContain("Asta", "Marie");
    Invalid textObject =
        (Invalid)
            map(
                "nordby-socialpsykiatri",
                note.replaceFirst("\"tekst\": \"[^\"]*\"", "\"tekst\": {\"linje\": \"Hej\"}")
                    .getBytes(StandardCharsets.UTF_8));
    assertThat(textObject.issues())
        .extracting(MappingIssue::field, MappingIssue::rule)
        .containsExactly(Tuple.tuple("text", "not-a-value"));
    Invalid categoryObjects =
        (Invalid)
            map(
                "nordby-socialpsykiatri",
                note.replace("\"sociale-forhold\",", "{\"kode\": \"sociale-forhold\"},")
                    .getBytes(StandardCharsets.UTF_8));
    assertThat(categoryObjects.issues())
        .extracting(MappingIssue::field, MappingIssue::rule)
        .containsExactly(Tuple.tuple("informationCategories", "not-a-value"));
    // null, {} and [] stay what null always was: no value (there is nothing in them to drop).
    for (String nothing : List.of("null", "{}", "[]")) {
      assertThat(
              map(
                  "nordby-socialpsykiatri",
                  note.replace("\"emne\": \"Status efter udskrivelse\"", "\"emne\": " + nothing)
                      .getBytes(StandardCharsets.UTF_8)))
          .as(nothing)
          .isInstanceOf(Mapped.class);
    }
  }

  // The reasons of the malformed samples (position, empty, encoding, DOCTYPE) are in their golden
  // files: InvalidSamplesTest.

  @Test
  void billionLaughs_isRefused() {
    String xml =
        "<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol \"lol\"><!ENTITY lol2 \"&lol;&lol;&lol;\">]>"
            + "<besked id=\"x\">&lol2;</besked>";
    assertThat(map("nordby-hjemmepleje", xml.getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(Malformed.class);
  }

  private static CanonicalRecord mapped(String source, String file) {
    MappingOutcome outcome = map(sample(source, file));
    assertThat(outcome).as(outcome.toString()).isInstanceOf(Mapped.class);
    return ((Mapped) outcome).record();
  }

  private static Path sample(String source, String file) {
    return TestFiles.TEST_MESSAGES.resolve(source).resolve(file);
  }

  private static MappingOutcome map(Path sample) {
    return map(
        sample.getParent().getFileName().toString().equals("invalid")
            ? sample.getParent().getParent().getFileName().toString()
            : sample.getParent().getFileName().toString(),
        TestFiles.read(sample));
  }

  private static MappingOutcome map(String source, byte[] payload) {
    return MAPPER.map(MAPPINGS.get(source), payload);
  }
}
