package dk.sektorbro.gateway.journal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dk.sektorbro.gateway.record.CanonicalRecord;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * Reads a journal entry's canonical record, once per journaled text: the gates, translation and the
 * consent recheck before delivery each need it, and reading the JSON was a tenth of their CPU
 * (issue 14). The entry's text is always the one read (the journal stays the truth): a kept record
 * is used only when the text is the same, so a record the gates changed, or one changed on another
 * node, is read anew. Records are immutable, so the stages can share one.
 */
@Component
public class CanonicalRecords {

  // Enough for the pipeline's in-flight limit (gateway.pipeline.max-in-flight, 200 by default); a
  // record that fell out is read again.
  private static final int KEPT = 512;

  private final ObjectMapper json;
  private final Map<String, Read> recent =
      new LinkedHashMap<>(KEPT * 2, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Read> eldest) {
          return size() > KEPT;
        }
      };

  private record Read(String text, CanonicalRecord record) {}

  public CanonicalRecords(ObjectMapper json) {
    this.json = json;
  }

  /** The entry's canonical record. */
  public CanonicalRecord read(JournalEntry entry) throws JsonProcessingException {
    String text = entry.canonicalRecord();
    Read kept;
    synchronized (recent) {
      kept = recent.get(entry.id());
    }
    if (kept != null && kept.text().equals(text)) {
      return kept.record();
    }
    CanonicalRecord record = json.readValue(text, CanonicalRecord.class);
    synchronized (recent) {
      recent.put(entry.id(), new Read(text, record));
    }
    return record;
  }

  /** The entry's canonical record, for the last stage that needs it: it is not kept any longer. */
  public CanonicalRecord readLast(JournalEntry entry) throws JsonProcessingException {
    CanonicalRecord record = read(entry);
    synchronized (recent) {
      recent.remove(entry.id());
    }
    return record;
  }
}
