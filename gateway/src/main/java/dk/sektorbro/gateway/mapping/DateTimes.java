package dk.sektorbro.gateway.mapping;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;

/** Date-times as sources write them; values without an offset are Danish local time. */
public final class DateTimes {

  static final ZoneId DANISH_TIME = ZoneId.of("Europe/Copenhagen");

  private DateTimes() {}

  public static OffsetDateTime parse(String value) {
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
}
