package dk.sektorbro.gateway.inbound;

import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Which journal entry once carried a MessageHeader id it does not carry now: an administrator's
 * edit translates a message anew, with a new MessageHeader id, and the thread row of every
 * translation the gateway built stays (thread_message, direction SENT). An acknowledgement of the
 * earlier translation is found here, so it can be noted on its message instead of lost among the
 * unknown ones.
 */
@Component
class EarlierTranslations {

  private final JdbcClient jdbc;

  EarlierTranslations(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  Optional<String> entryOf(String messageHeaderId) {
    return jdbc.sql(
            "SELECT journal_entry_id FROM thread_message"
                + " WHERE message_header_id = :header AND direction = 'SENT'"
                + " AND journal_entry_id IS NOT NULL")
        .param("header", messageHeaderId)
        .query(String.class)
        .optional();
  }
}
