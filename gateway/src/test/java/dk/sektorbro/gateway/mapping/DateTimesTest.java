package dk.sektorbro.gateway.mapping;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The short way for the common shape gives what the formatter gives, or leaves it to it. */
class DateTimesTest {

  @ParameterizedTest
  @ValueSource(
      strings = {
        "2026-11-20T09:14:00+01:00",
        "2026-11-20T09:14:00Z",
        "2026-07-01T23:59:59-00:00",
        "2026-07-01T00:00:00-09:30",
        "2024-02-29T12:00:00+18:00",
        "0000-01-01T00:00:00-18:00",
        "9999-12-31T23:59:59+14:00"
      })
  void theCommonShape_isReadShort_asTheFormatterReadsIt(String value) {
    assertThat(DateTimes.common(value)).isNotNull().isEqualTo(OffsetDateTime.parse(value));
    assertThat(DateTimes.parse(value)).isEqualTo(OffsetDateTime.parse(value));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "2026-02-29T12:00:00+01:00",
        "2026-04-31T12:00:00Z",
        "2026-13-01T12:00:00Z",
        "2026-11-20T24:00:00Z",
        "2026-11-20T23:60:00Z",
        "2026-11-20T23:59:60Z",
        "2026-11-20T09:14:00+18:30",
        "2026-11-20T09:14:00+01:60",
        "2026-11-20t09:14:00z",
        "2026-11-20T09:14:00.5Z",
        "2026-11-20T09:14+01:00",
        "2026-11-20T09:14:00+0100",
        "2026-11-20T09:14:00+01",
        "2026-11-20 09:14:00+01:00",
        "2026-11-20T09:14:00",
        "2026-11-20",
        "+2026-11-20T09:14:00Z",
        "2026-11-20T09:14:00\u00b101:00",
        "\u0662026-11-20T09:14:00+01:00"
      })
  void anythingElse_isLeftToTheFormatter_withItsResult(String value) {
    assertThat(DateTimes.common(value)).isNull();
    assertThat(DateTimes.parse(value)).isEqualTo(reference(value));
  }

  @Test
  void mutationsOfTheCommonShape_neverReadDifferently() {
    Random random = new Random(14);
    String alphabet = "0123456789-+:TZtz .";
    List<String> values = new ArrayList<>();
    for (String base : new String[] {"2026-11-20T09:14:00+01:00", "2024-02-29T23:59:59Z"}) {
      for (int i = 0; i < 20_000; i++) {
        char[] chars = base.toCharArray();
        for (int changes = 1 + random.nextInt(2); changes > 0; changes--) {
          chars[random.nextInt(chars.length)] = alphabet.charAt(random.nextInt(alphabet.length()));
        }
        values.add(new String(chars));
      }
    }
    int short_ = 0;
    for (String value : values) {
      OffsetDateTime common = DateTimes.common(value);
      if (common != null) {
        short_++;
        assertThat(common).as(value).isEqualTo(OffsetDateTime.parse(value));
      }
      assertThat(DateTimes.parse(value)).as(value).isEqualTo(reference(value));
    }
    assertThat(short_).as("mutations still of the common shape").isGreaterThan(1_000);
  }

  // DateTimes.parse before the short way, as it was.
  private static OffsetDateTime reference(String value) {
    try {
      return OffsetDateTime.parse(value);
    } catch (DateTimeParseException notOffset) {
      try {
        return java.time.LocalDateTime.parse(value)
            .atZone(DateTimes.DANISH_TIME)
            .toOffsetDateTime();
      } catch (DateTimeParseException notLocal) {
        try {
          return java.time.LocalDate.parse(value)
              .atStartOfDay(DateTimes.DANISH_TIME)
              .toOffsetDateTime();
        } catch (DateTimeParseException notDate) {
          return null;
        }
      }
    }
  }
}
