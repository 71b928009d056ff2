package dk.sektorbro.gateway.mapping;

import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

/** Date-times as sources write them; values without an offset are Danish local time. */
public final class DateTimes {

  static final ZoneId DANISH_TIME = ZoneId.of("Europe/Copenhagen");

  private DateTimes() {}

  public static OffsetDateTime parse(String value) {
    OffsetDateTime common = common(value);
    if (common != null) {
      return common;
    }
    try {
      return OffsetDateTime.parse(value);
    } catch (DateTimeParseException notOffset) {
      try {
        return LocalDateTime.parse(value).atZone(DANISH_TIME).toOffsetDateTime();
      } catch (DateTimeParseException notLocal) {
        try {
          return LocalDate.parse(value).atStartOfDay(DANISH_TIME).toOffsetDateTime();
        } catch (DateTimeParseException notDate) {
          return null;
        }
      }
    }
  }

  /**
   * The shape sources nearly always write, {@code yyyy-MM-ddTHH:mm:ss} with {@code Z} or {@code
   * ±HH:MM}, read without the formatter: OffsetDateTime.parse was a twentieth of intake's CPU
   * (issue 14). Null for any other text, and for a value of that shape the formatter refuses (30
   * February, hour 24, second 60, an offset beyond ±18:00): those take the full parse above, so the
   * result is the formatter's in every case.
   */
  static OffsetDateTime common(String value) {
    int length = value.length();
    if ((length != 20 && length != 25)
        || value.charAt(4) != '-'
        || value.charAt(7) != '-'
        || value.charAt(10) != 'T'
        || value.charAt(13) != ':'
        || value.charAt(16) != ':') {
      return null;
    }
    int year = digits(value, 0, 4);
    int month = digits(value, 5, 2);
    int day = digits(value, 8, 2);
    int hour = digits(value, 11, 2);
    int minute = digits(value, 14, 2);
    int second = digits(value, 17, 2);
    if ((year | month | day | hour | minute | second) < 0) {
      return null;
    }
    try {
      ZoneOffset offset;
      if (length == 20) {
        if (value.charAt(19) != 'Z') {
          return null;
        }
        offset = ZoneOffset.UTC;
      } else {
        char sign = value.charAt(19);
        int hours = digits(value, 20, 2);
        int minutes = digits(value, 23, 2);
        if ((sign != '+' && sign != '-') || value.charAt(22) != ':' || (hours | minutes) < 0) {
          return null;
        }
        offset =
            sign == '+'
                ? ZoneOffset.ofHoursMinutes(hours, minutes)
                : ZoneOffset.ofHoursMinutes(-hours, -minutes);
      }
      return OffsetDateTime.of(year, month, day, hour, minute, second, 0, offset);
    } catch (DateTimeException refused) {
      return null;
    }
  }

  // The ASCII digits at [from, from + count) as a number, or -1.
  private static int digits(String value, int from, int count) {
    int number = 0;
    for (int i = from; i < from + count; i++) {
      char c = value.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      number = number * 10 + (c - '0');
    }
    return number;
  }
}
