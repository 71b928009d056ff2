package dk.sektorbro.gateway.mapping;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dk.sektorbro.gateway.mapping.MappingOutcome.Invalid;
import dk.sektorbro.gateway.mapping.MappingOutcome.Mapped;
import dk.sektorbro.gateway.support.TestFiles;
import java.util.Map;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.Test;

/**
 * Per-field limits and the characters FHIR and XML cannot carry, on the shipped mapping and a real
 * sample.
 */
class FieldLimitsTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Map<String, MappingDefinition> MAPPINGS =
      MappingRegistry.load(TestFiles.MAPPINGS);
  private static final RecordMapper MAPPER = new RecordMapper(new CanonicalRecordRules());

  @Test
  void freeTextOverTheLimit_isRefusedNamingTheFieldAndLimit_notTheText() throws Exception {
    ObjectNode record = sample();
    record.put("tekst", "a".repeat(FieldLimits.FREE_TEXT + 1));
    Invalid invalid = invalid(record);
    assertThat(invalid.issues())
        .anySatisfy(
            issue -> {
              assertThat(issue.field()).isEqualTo("text");
              assertThat(issue.rule()).isEqualTo("max-length");
              assertThat(issue.message())
                  .contains("100001 characters, over the limit of 100000")
                  .doesNotContain("aaaa");
            });
  }

  @Test
  void freeTextAtTheLimit_maps() throws Exception {
    ObjectNode record = sample();
    record.put("tekst", "a".repeat(FieldLimits.FREE_TEXT));
    assertThat(MAPPER.map(mapping(), JSON.writeValueAsBytes(record))).isInstanceOf(Mapped.class);
  }

  @Test
  void recordIdTooLong_isRefusedUnderAShortHashedReference_withoutTheDigits() throws Exception {
    ObjectNode record = sample();
    String id = "0101485555-" + "x".repeat(300);
    record.put("journalpostId", id);
    Invalid invalid = invalid(record);
    assertThat(invalid.issues())
        .extracting(MappingIssue::field, MappingIssue::rule)
        .containsExactly(Tuple.tuple("recordId", "max-length"));
    assertThat(invalid.recordId())
        .hasSizeLessThan(100)
        .startsWith("##########-xxx")
        .contains("…sha256:")
        .doesNotContain("0101485555");
  }

  @Test
  void formFeedAndVerticalTab_becomeLineBreaks() throws Exception {
    ObjectNode record = sample();
    record.put("tekst", "Side 1\fSide 2\u000bLinje");
    Mapped mapped = (Mapped) MAPPER.map(mapping(), JSON.writeValueAsBytes(record));
    assertThat(mapped.record().text()).isEqualTo("Side 1\nSide 2\nLinje");
  }

  @Test
  void charactersXmlCannotCarry_areRefusedWithANamedRule() throws Exception {
    for (String bad : new String[] {"\u0000", "\u0001", "\u001b", "\ufffe", "\ud800", "x\udc00"}) {
      ObjectNode record = sample();
      record.put("tekst", "Tekst " + bad + " mere");
      Invalid invalid = invalid(record);
      assertThat(invalid.issues())
          .as(bad)
          .anySatisfy(
              issue -> {
                assertThat(issue.field()).isEqualTo("text");
                assertThat(issue.rule()).isEqualTo(TextRules.RULE);
                assertThat(issue.message())
                    .contains("U+")
                    .contains("position")
                    .doesNotContain("Tekst");
              });
    }
  }

  @Test
  void surrogatePairs_emojiAndDanishLetters_areFine() throws Exception {
    ObjectNode record = sample();
    record.put("tekst", "Æblegrød 😀 tab\there\r\nnew line");
    assertThat(MAPPER.map(mapping(), JSON.writeValueAsBytes(record))).isInstanceOf(Mapped.class);
  }

  @Test
  void attachmentsOverTheirSharedSize_areRefusedNamingTheAttachments() throws Exception {
    ObjectNode record = sample();
    ArrayNode attachments = record.putArray("bilag");
    String half = "QUJD".repeat(FieldLimits.ATTACHMENT_DATA / 4 / 2 + 1);
    for (int i = 0; i < 2; i++) {
      attachments
          .addObject()
          .put("filnavn", "a" + i + ".pdf")
          .put("mimetype", "application/pdf")
          .put("indhold", half);
    }
    Invalid invalid = invalid(record);
    assertThat(invalid.issues())
        .anySatisfy(
            issue -> {
              assertThat(issue.field()).isEqualTo("attachments");
              assertThat(issue.rule()).isEqualTo("max-length");
            });
  }

  @Test
  void defaults_byKindOfField() {
    assertThat(FieldLimits.byName("recordId")).isEqualTo(FieldLimits.ID);
    assertThat(FieldLimits.byName("recipient.gln")).isEqualTo(FieldLimits.ID);
    assertThat(FieldLimits.byName("citizen.familyName")).isEqualTo(FieldLimits.NAME);
    assertThat(FieldLimits.byName("attachments[3].title")).isEqualTo(FieldLimits.NAME);
    assertThat(FieldLimits.byName("attachments[3].data")).isEqualTo(FieldLimits.ATTACHMENT_DATA);
    assertThat(FieldLimits.byName("category")).isEqualTo(FieldLimits.CODE);
    assertThat(FieldLimits.byName("text")).isEqualTo(FieldLimits.FREE_TEXT);
    assertThat(FieldLimits.byName("plan.goal")).isEqualTo(FieldLimits.FREE_TEXT);
  }

  private static Invalid invalid(ObjectNode record) throws Exception {
    MappingOutcome outcome = MAPPER.map(mapping(), JSON.writeValueAsBytes(record));
    assertThat(outcome).as(outcome.toString()).isInstanceOf(Invalid.class);
    return (Invalid) outcome;
  }

  private static MappingDefinition mapping() {
    return MAPPINGS.get("nordby-socialpsykiatri");
  }

  private static ObjectNode sample() throws Exception {
    return (ObjectNode) JSON.readTree(TestFiles.read(TestFiles.MEDICATION_QUESTION));
  }
}
