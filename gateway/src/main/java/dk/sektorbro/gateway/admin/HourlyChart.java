package dk.sektorbro.gateway.admin;

import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * Messages and failures per hour over the last 24 hours, laid out as SVG bars the page draws
 * without any script (the console's CSP allows none). Plain Java, unit-testable.
 */
public record HourlyChart(List<Bar> bars, long max, int width, int height) {

  public static final int HOURS = 24;
  static final int SLOT = 30;
  static final int HEIGHT = 150;

  /** One hour: label, counts, and the bars' geometry (y grows downwards in SVG). */
  public record Bar(
      String label,
      long received,
      long failed,
      int x,
      int receivedY,
      int receivedHeight,
      int failedY,
      int failedHeight) {}

  public static HourlyChart of(
      OffsetDateTime now, List<OffsetDateTime> received, List<OffsetDateTime> failed) {
    OffsetDateTime end = now.truncatedTo(ChronoUnit.HOURS).plusHours(1);
    OffsetDateTime start = end.minusHours(HOURS);
    long[] r = bucket(start, received);
    long[] f = bucket(start, failed);
    long max = 1;
    for (int i = 0; i < HOURS; i++) {
      max = Math.max(max, Math.max(r[i], f[i]));
    }
    List<Bar> bars = new ArrayList<>();
    for (int i = 0; i < HOURS; i++) {
      int rh = (int) Math.round((double) r[i] * HEIGHT / max);
      int fh = (int) Math.round((double) f[i] * HEIGHT / max);
      bars.add(
          new Bar(
              String.format("%02d", start.plusHours(i).getHour()),
              r[i],
              f[i],
              i * SLOT,
              HEIGHT - rh,
              rh,
              HEIGHT - fh,
              fh));
    }
    return new HourlyChart(bars, max, HOURS * SLOT, HEIGHT);
  }

  private static long[] bucket(OffsetDateTime start, List<OffsetDateTime> times) {
    long[] counts = new long[HOURS];
    for (OffsetDateTime t : times) {
      long hour = ChronoUnit.HOURS.between(start, t);
      if (!t.isBefore(start) && hour >= 0 && hour < HOURS) {
        counts[(int) hour]++;
      }
    }
    return counts;
  }
}
