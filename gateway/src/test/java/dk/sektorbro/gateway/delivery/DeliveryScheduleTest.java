package dk.sektorbro.gateway.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.kagkarlsson.scheduler.SchedulerClient;
import com.github.kagkarlsson.scheduler.task.TaskInstance;
import dk.sektorbro.gateway.delivery.DeliveryWork.Purpose;
import dk.sektorbro.gateway.support.GatewayIntegrationTest;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The delivery schedule creates a message's first work row with one insert of its own instead of
 * db-scheduler's scheduleIfNotExists (a read, then the insert): the row must be the one the
 * engine's client writes, column for column, and an existing row must still be rescheduled.
 */
class DeliveryScheduleTest extends GatewayIntegrationTest {

  @Autowired DeliverySchedule schedule;
  @Autowired SchedulerClient engine;
  @Autowired JdbcClient jdbc;

  // Far enough ahead that no poller runs them during the test; removed after it.
  private final OffsetDateTime due =
      OffsetDateTime.now(ZoneOffset.UTC).plusHours(2).truncatedTo(ChronoUnit.MILLIS);
  private final String byEngine = UUID.randomUUID().toString();
  private final String bySchedule = UUID.randomUUID().toString();

  @AfterEach
  void removeRows() {
    jdbc.sql("DELETE FROM scheduled_tasks WHERE task_name = :task AND task_instance IN (:ids)")
        .param("task", DeliverySchedule.TASK)
        .param("ids", List.of(byEngine, bySchedule))
        .update();
  }

  @Test
  void aNewRow_isTheRowTheEnginesClientWrites() {
    DeliveryWork work = DeliveryWork.first("5790000000000").sent();
    assertThat(
            engine.scheduleIfNotExists(
                new TaskInstance<>(DeliverySchedule.TASK, byEngine, work), due.toInstant()))
        .isTrue();

    assertThat(schedule.save(bySchedule, work, due)).isTrue();

    Map<String, Object> expected = row(byEngine);
    Map<String, Object> actual = row(bySchedule);
    assertThat(actual.keySet()).isEqualTo(expected.keySet());
    for (String column : expected.keySet()) {
      if (column.equals("task_instance")) {
        continue;
      }
      Object e = expected.get(column);
      Object a = actual.get(column);
      if (e instanceof byte[] eb) {
        assertThat(Arrays.equals(eb, (byte[]) a)).as(column).isTrue();
      } else {
        assertThat(a).as(column).isEqualTo(e);
      }
    }
    assertThat(schedule.find(bySchedule).orElseThrow().work()).isEqualTo(work);
    assertThat(schedule.find(bySchedule).orElseThrow().dueAt()).isEqualTo(due);
  }

  @Test
  void anExistingRow_isRescheduledWithTheNewWork() {
    DeliveryWork first = DeliveryWork.first("5790000000000").failedAttempt("IOException");
    assertThat(schedule.save(bySchedule, first, due)).isTrue();

    DeliveryWork sent = first.sent();
    OffsetDateTime later = due.plusMinutes(30);
    assertThat(schedule.save(bySchedule, sent, later)).isTrue();

    DeliverySchedule.Scheduled now = schedule.find(bySchedule).orElseThrow();
    assertThat(now.work()).isEqualTo(sent);
    assertThat(now.work().purpose()).isEqualTo(Purpose.ACK_DEADLINE);
    assertThat(now.dueAt()).isEqualTo(later);
  }

  private Map<String, Object> row(String instance) {
    return jdbc.sql("SELECT * FROM scheduled_tasks WHERE task_name = :task AND task_instance = :id")
        .param("task", DeliverySchedule.TASK)
        .param("id", instance)
        .query()
        .singleRow();
  }
}
