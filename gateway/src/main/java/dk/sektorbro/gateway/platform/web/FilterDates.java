package dk.sektorbro.gateway.platform.web;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.regex.Pattern;

/**
 * Dates typed into the console's and the API's filters. ISO 8601 as java.time reads it also takes a
 * sign and more than four year digits (+999999999-12-31): such a day cannot be moved to the next
 * day, nor held by PostgreSQL's timestamp, and the list answered 500. Only years 0001–9999 are
 * filters; anything else is the same "not understood" as a date that does not parse.
 */
public final class FilterDates {

  private static final Pattern DAY = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");

  private FilterDates() {}

  /** A day written yyyy-mm-dd. */
  public static LocalDate day(String text) {
    String day = text.strip();
    if (!DAY.matcher(day).matches()) {
      throw new DateTimeParseException("not a day yyyy-mm-dd", day, 0);
    }
    return inRange(LocalDate.parse(day), day);
  }

  /** Null and blank stay as they are (no filter); anything else must be a day. */
  public static String dayOrBlank(String text) {
    if (text != null && !text.isBlank()) {
      day(text);
    }
    return text;
  }

  /** A point in time with its offset, in years 0001–9999. */
  public static OffsetDateTime instant(String text) {
    OffsetDateTime at = OffsetDateTime.parse(text);
    inRange(at.toLocalDate(), text);
    return at;
  }

  private static LocalDate inRange(LocalDate day, String text) {
    if (day.getYear() < 1 || day.getYear() > 9999) {
      throw new DateTimeParseException("year outside 0001-9999", text, 0);
    }
    return day;
  }
}
