package db.migration;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.OffsetDateTime;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/**
 * The rows of delivery_schedule (V4) become 'message-delivery' executions of the work engine (V27),
 * their data the JSON of delivery.DeliveryWork; then the table goes. In Java so that the JSON is
 * written the same way on every database (the SQL has no portable JSON-to-bytes function).
 */
public class V27_1__MoveDeliverySchedule extends BaseJavaMigration {

  @Override
  public void migrate(Context context) throws Exception {
    Connection connection = context.getConnection();
    try (Statement select = connection.createStatement();
        ResultSet rows =
            select.executeQuery(
                "SELECT entry_id, purpose, due_at, recipient_gln, attempts, resends, last_error FROM delivery_schedule");
        PreparedStatement insert =
            connection.prepareStatement(
                "INSERT INTO scheduled_tasks (task_name, task_instance, task_data, execution_time, picked, version,"
                    + " priority) VALUES ('message-delivery', ?, ?, ?, FALSE, 1, 0)")) {
      while (rows.next()) {
        String json =
            "{\"purpose\":"
                + quote(rows.getString("purpose"))
                + ",\"recipientGln\":"
                + quote(rows.getString("recipient_gln"))
                + ",\"attempts\":"
                + rows.getInt("attempts")
                + ",\"resends\":"
                + rows.getInt("resends")
                + ",\"lastError\":"
                + quote(rows.getString("last_error"))
                + "}";
        insert.setString(1, rows.getString("entry_id"));
        insert.setBytes(2, json.getBytes(StandardCharsets.UTF_8));
        insert.setObject(3, rows.getObject("due_at", OffsetDateTime.class));
        insert.executeUpdate();
      }
    }
    try (Statement drop = connection.createStatement()) {
      drop.execute("DROP TABLE delivery_schedule");
    }
  }

  private static String quote(String text) {
    if (text == null) {
      return "null";
    }
    StringBuilder json = new StringBuilder("\"");
    for (char c : text.toCharArray()) {
      switch (c) {
        case '"' -> json.append("\\\"");
        case '\\' -> json.append("\\\\");
        default -> {
          if (c < 0x20) {
            json.append(String.format("\\u%04x", (int) c));
          } else {
            json.append(c);
          }
        }
      }
    }
    return json.append('"').toString();
  }
}
