package dk.sektorbro.gateway.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dk.sektorbro.gateway.delivery.DeliverySchedule;
import dk.sektorbro.gateway.delivery.DeliveryWork;
import dk.sektorbro.gateway.support.GatewayIntegrationTest;
import java.net.http.HttpResponse;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The dashboard's table of recipients whose transport is failing, as an operator sees it: one row
 * per recipient, worst first, from the delivery work in the database (the messages RETRYING).
 */
class DashboardConsoleTest extends GatewayIntegrationTest {

  private static final Pattern TABLE =
      Pattern.compile("<table id=\"retrying-recipients\">(.*?)</table>", Pattern.DOTALL);
  private static final Pattern ROW =
      Pattern.compile("<tr class=\"failing\">(.*?)</tr>", Pattern.DOTALL);
  private static final Pattern CELL = Pattern.compile("<td>(.*?)</td>", Pattern.DOTALL);

  @Autowired DeliverySchedule schedule;

  private final List<String> scheduled = new ArrayList<>();

  @AfterEach
  void removeWork() {
    scheduled.forEach(schedule::delete);
  }

  @Test
  void failingRecipients_oneRowEach_worstFirst_withTheirWorstMessagesDetails() {
    // Recipients of this test only (other tests share the application and may have their own).
    String often = freshGln();
    String once = freshGln();
    ConsoleSession operator =
        ConsoleSession.login("http://localhost:" + port, "operator", OPERATOR_PASSWORD);
    assertThat(operator.get("/admin").body()).doesNotContain(often).doesNotContain(once);

    // Due tomorrow, so the delivery engine leaves them alone while the page is read. The worst
    // message of a recipient gives its row's details; its others only count as queued.
    OffsetDateTime tomorrow =
        OffsetDateTime.now(ZoneOffset.UTC).plusDays(1).truncatedTo(ChronoUnit.SECONDS);
    work(often, 3, "HTTP 503 from the peer", tomorrow);
    work(once, 2, "connect timed out", tomorrow.plusMinutes(5));
    work(often, 1, "HTTP 502 from the peer", tomorrow.plusMinutes(10));

    HttpResponse<String> page = operator.get("/admin");
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.body()).contains("id=\"route-alert\"");
    List<List<String>> rows = rows(page.body());
    List<String> ours =
        rows.stream()
            .map(row -> row.get(0))
            .filter(gln -> gln.contains(often) || gln.contains(once))
            .toList();
    assertThat(ours).hasSize(2);
    assertThat(ours.get(0)).as("worst first").contains(often);

    List<String> first = row(rows, often);
    assertThat(first.get(0))
        .isEqualTo(
            "<a href=\"/admin/messages?state=RETRYING&amp;recipient="
                + often
                + "\">"
                + often
                + "</a>");
    assertThat(first.subList(1, 4)).containsExactly("2", "3", "HTTP 503 from the peer");
    assertThat(OffsetDateTime.parse(first.get(4)).toInstant()).isEqualTo(tomorrow.toInstant());

    List<String> second = row(rows, once);
    assertThat(second.subList(1, 4)).containsExactly("1", "2", "connect timed out");
    assertThat(OffsetDateTime.parse(second.get(4)).toInstant())
        .isEqualTo(tomorrow.plusMinutes(5).toInstant());

    // Gone from the table once their work is done.
    removeWork();
    assertThat(operator.get("/admin").body()).doesNotContain(often).doesNotContain(once);
  }

  private void work(String gln, int failedAttempts, String lastError, OffsetDateTime due) {
    String entryId = UUID.randomUUID().toString();
    DeliveryWork work = DeliveryWork.first(gln);
    for (int i = 0; i < failedAttempts; i++) {
      work = work.failedAttempt(lastError);
    }
    assertThat(schedule.save(entryId, work, due)).isTrue();
    scheduled.add(entryId);
  }

  /** The cells of each row of the failing recipients' table (none when the table is not shown). */
  private static List<List<String>> rows(String page) {
    Matcher table = TABLE.matcher(page);
    assertThat(table.find()).as("the failing recipients' table is shown").isTrue();
    List<List<String>> rows = new ArrayList<>();
    Matcher row = ROW.matcher(table.group(1));
    while (row.find()) {
      List<String> cells = new ArrayList<>();
      Matcher cell = CELL.matcher(row.group(1));
      while (cell.find()) {
        cells.add(cell.group(1).strip());
      }
      assertThat(cells).as(row.group(1)).hasSize(5);
      rows.add(cells);
    }
    return rows;
  }

  private static List<String> row(List<List<String>> rows, String gln) {
    return rows.stream()
        .filter(row -> row.get(0).contains(">" + gln + "<"))
        .findFirst()
        .orElseThrow();
  }

  private static String freshGln() {
    return "579"
        + String.format(
            "%010d", Math.floorMod(UUID.randomUUID().getMostSignificantBits(), 10_000_000_000L));
  }
}
