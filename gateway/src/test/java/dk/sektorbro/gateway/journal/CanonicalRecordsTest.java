package dk.sektorbro.gateway.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dk.sektorbro.gateway.record.CanonicalRecord;
import java.time.OffsetDateTime;
import org.junit.jupiter.api.Test;

/** A canonical record is read once per journaled text, and the text always decides. */
class CanonicalRecordsTest {

  private final CanonicalRecords records =
      new CanonicalRecords(JsonMapper.builder().findAndAddModules().build());

  @Test
  void theSameText_isReadOnce_andAnotherTextAnew() throws JsonProcessingException {
    CanonicalRecord first = records.read(entry("e1", text("one")));
    assertThat(first.text()).isEqualTo("one");
    // Same content, another String (as a new SELECT returns): the record read before.
    assertThat(records.read(entry("e1", new String(text("one"))))).isSameAs(first);

    CanonicalRecord changed = records.read(entry("e1", text("two")));
    assertThat(changed.text()).isEqualTo("two");
    assertThat(records.read(entry("e2", text("one")))).isNotSameAs(first).isEqualTo(first);
  }

  @Test
  void theLastRead_keepsItNoLonger() throws JsonProcessingException {
    CanonicalRecord first = records.read(entry("e1", text("one")));
    assertThat(records.readLast(entry("e1", text("one")))).isSameAs(first);
    assertThat(records.read(entry("e1", text("one")))).isNotSameAs(first).isEqualTo(first);
  }

  @Test
  void anUnreadableText_throws_andIsNotKept() {
    assertThatThrownBy(() -> records.read(entry("e1", "{not json")))
        .isInstanceOf(JsonProcessingException.class);
    assertThatThrownBy(() -> records.read(entry("e1", "{not json")))
        .isInstanceOf(JsonProcessingException.class);
  }

  private static String text(String value) {
    return "{\"sourceRecordId\":\"r1\",\"text\":\"" + value + "\"}";
  }

  private static JournalEntry entry(String id, String canonical) {
    OffsetDateTime now = OffsetDateTime.now();
    return JournalEntry.received(id, "src", "rec", Channel.REST, null, 0, now, canonical);
  }
}
