package dk.sektorbro.gateway.addressing;

import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.YearMonth;

/**
 * An EER Endpoint's {@code period} (FHIR dateTime: year, year-month, date, or date and time with
 * zone) as the register days it covers, in Danish time like every other register date. Addressing
 * decides per day, so a period that starts or ends during a day does not cover that day: never sent
 * before an endpoint is in force, nor on the day it ends.
 */
final class EndpointPeriod {

  private EndpointPeriod() {}

  /**
   * The first day wholly in the period, or null without a start.
   *
   * @throws DateTimeException when the value is not a FHIR date or dateTime
   */
  static LocalDate firstDay(String start) {
    if (start == null || start.isBlank()) {
      return null;
    }
    return switch (start.length()) {
      case 4 -> LocalDate.of(Integer.parseInt(digits(start)), 1, 1);
      case 7 -> YearMonth.parse(start).atDay(1);
      case 10 -> LocalDate.parse(start);
      default -> {
        LocalDateTime local = local(start);
        yield local.toLocalTime().equals(LocalTime.MIDNIGHT)
            ? local.toLocalDate()
            : local.toLocalDate().plusDays(1);
      }
    };
  }

  /**
   * The last day wholly in the period, or null without an end.
   *
   * @throws DateTimeException when the value is not a FHIR date or dateTime
   */
  static LocalDate lastDay(String end) {
    if (end == null || end.isBlank()) {
      return null;
    }
    return switch (end.length()) {
      case 4 -> LocalDate.of(Integer.parseInt(digits(end)), 12, 31);
      case 7 -> YearMonth.parse(end).atEndOfMonth();
      case 10 -> LocalDate.parse(end);
      default -> {
        LocalDateTime local = local(end);
        yield local.toLocalTime().isBefore(LocalTime.of(23, 59, 59))
            ? local.toLocalDate().minusDays(1)
            : local.toLocalDate();
      }
    };
  }

  /** FHIR requires a zone with a time; the instant as Danish local time. */
  private static LocalDateTime local(String dateTime) {
    return OffsetDateTime.parse(dateTime)
        .atZoneSameInstant(AddressingGate.REGISTER_ZONE)
        .toLocalDateTime();
  }

  private static String digits(String year) {
    if (!year.chars().allMatch(c -> c >= '0' && c <= '9')) {
      throw new DateTimeException("not a year: " + year);
    }
    return year;
  }
}
