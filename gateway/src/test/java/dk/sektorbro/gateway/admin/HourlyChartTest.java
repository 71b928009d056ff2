package dk.sektorbro.gateway.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class HourlyChartTest {

  @Test
  void countsPerHour_lastBarIsTheCurrentHour_tallestBarFillsTheHeight() {
    OffsetDateTime now = OffsetDateTime.of(2026, 11, 30, 14, 20, 0, 0, ZoneOffset.UTC);
    HourlyChart chart =
        HourlyChart.of(
            now,
            List.of(now, now.minusMinutes(5), now.minusHours(1), now.minusHours(30)),
            List.of(now.minusMinutes(1)));
    assertThat(chart.bars()).hasSize(24);
    HourlyChart.Bar current = chart.bars().get(23);
    assertThat(current.label()).isEqualTo("14");
    assertThat(current.received()).isEqualTo(2);
    assertThat(current.failed()).isEqualTo(1);
    assertThat(current.receivedHeight()).isEqualTo(HourlyChart.HEIGHT);
    assertThat(current.failedHeight()).isEqualTo(HourlyChart.HEIGHT / 2);
    assertThat(chart.bars().get(22).received()).isEqualTo(1);
    assertThat(chart.bars().stream().mapToLong(HourlyChart.Bar::received).sum())
        .isEqualTo(3); // 30 h ago is out
  }
}
