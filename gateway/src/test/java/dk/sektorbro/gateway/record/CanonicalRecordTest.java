package dk.sektorbro.gateway.record;

import static org.assertj.core.api.Assertions.assertThat;

import dk.sektorbro.gateway.record.CanonicalRecord.Attachment;
import dk.sektorbro.gateway.record.CanonicalRecord.Author;
import dk.sektorbro.gateway.record.CanonicalRecord.Citizen;
import dk.sektorbro.gateway.record.CanonicalRecord.Organisation;
import dk.sektorbro.gateway.record.CanonicalRecord.ThreadReference;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.RecordComponent;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class CanonicalRecordTest {

  @Test
  void readdressing_keepsEveryOtherField_legalBasisAndRecipientKindIncluded() {
    CanonicalRecord original =
        new CanonicalRecord(
            "R-1",
            new CanonicalRecord.Citizen("2101409996", "A", "B"),
            new CanonicalRecord.Organisation("990011000016008", null, "Afsender"),
            new CanonicalRecord.Author("C", "D", "socialpaedagog", null),
            new CanonicalRecord.Organisation("990031000016002", null, null),
            "other",
            "Emne",
            "Tekst",
            null,
            "E-1",
            OffsetDateTime.parse("2026-11-30T10:00:00+01:00"),
            List.of("health"),
            "care-coordination",
            List.of(),
            "psykiatrilov-13c",
            "begrundelse",
            "sygehus");

    CanonicalRecord.Organisation fixed =
        new CanonicalRecord.Organisation("990031000016002", "5790009900030", "P3");
    CanonicalRecord readdressed = original.withRecipient(fixed);

    assertThat(readdressed.recipient()).isEqualTo(fixed);
    assertThat(readdressed)
        .usingRecursiveComparison()
        .ignoringFields("recipient")
        .isEqualTo(original);
    assertThat(readdressed.legalBasis()).isEqualTo("psykiatrilov-13c");
    assertThat(readdressed.recipientKind()).isEqualTo("sygehus");
  }

  // Every public withX(..) is found by name, so a wither or a record field added later is checked
  // without a change here: the copy takes X from the other record and keeps every other field.
  @Test
  void everyWither_changesItsOwnField_andKeepsEveryOther() throws Exception {
    CanonicalRecord original = full("1");
    CanonicalRecord other = full("2");
    RecordComponent[] components = CanonicalRecord.class.getRecordComponents();
    for (RecordComponent component : components) {
      assertThat(value(original, component)).as(component.getName()).isNotNull();
      assertThat(value(other, component))
          .as(component.getName())
          .isNotEqualTo(value(original, component));
    }

    List<Method> withers =
        Arrays.stream(CanonicalRecord.class.getDeclaredMethods())
            .filter(m -> Modifier.isPublic(m.getModifiers()) && m.getName().startsWith("with"))
            .toList();
    assertThat(withers).isNotEmpty();
    for (Method wither : withers) {
      RecordComponent changed = componentOf(wither, components);
      CanonicalRecord copy = (CanonicalRecord) wither.invoke(original, value(other, changed));
      for (RecordComponent component : components) {
        CanonicalRecord expected = component.equals(changed) ? other : original;
        assertThat(value(copy, component))
            .as("%s: %s", wither.getName(), component.getName())
            .isEqualTo(value(expected, component));
      }
    }
  }

  private static RecordComponent componentOf(Method wither, RecordComponent[] components) {
    String field = wither.getName().substring("with".length());
    RecordComponent component =
        Arrays.stream(components)
            .filter(c -> c.getName().equalsIgnoreCase(field))
            .findFirst()
            .orElse(null);
    assertThat(component).as("the field %s changes", wither.getName()).isNotNull();
    assertThat(wither.getParameterTypes())
        .as(wither.getName())
        .containsExactly(component.getType());
    return component;
  }

  private static Object value(CanonicalRecord record, RecordComponent component)
      throws ReflectiveOperationException {
    return component.getAccessor().invoke(record);
  }

  /** A record with every field set, each value marked with {@code n} to tell two records apart. */
  private static CanonicalRecord full(String n) {
    Author author = new Author("Given" + n, "Family" + n, "role" + n, "phone" + n);
    return new CanonicalRecord(
        "R-" + n,
        new Citizen("cpr" + n, "Given" + n, "Family" + n, "ecpr" + n, "urn:oid:" + n),
        new Organisation("sender-sor" + n, "sender-gln" + n, "Sender" + n),
        author,
        new Organisation("recipient-sor" + n, "recipient-gln" + n, "Recipient" + n),
        "category" + n,
        "topic" + n,
        "text" + n,
        "priority" + n,
        "episode" + n,
        OffsetDateTime.parse("2026-12-0" + n + "T10:00:00+01:00"),
        List.of("information-category" + n),
        "purpose" + n,
        List.of(
            new Attachment(
                "title" + n,
                "application/pdf",
                "data" + n,
                OffsetDateTime.parse("2026-11-1" + n + "T10:00:00+01:00"),
                "https://example.test/" + n,
                author)),
        "legal-basis" + n,
        "justification" + n,
        "recipient-kind" + n,
        "sender-unit" + n,
        "recipient-unit" + n,
        new ThreadReference(
            ThreadReference.REPLY, "header" + n, "thread" + n, "episode" + n, List.of("seg" + n)),
        "plan" + n);
  }
}
