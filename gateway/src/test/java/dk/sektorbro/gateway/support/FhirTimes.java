package dk.sektorbro.gateway.support;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;

/**
 * Times as tests write them into FHIR resources: whole seconds with zone. Always through
 * ISO_OFFSET_DATE_TIME: {@code OffsetDateTime.toString()} drops ":00" at a full minute, and
 * "…T22:45Z" is not a valid FHIR dateTime (a flaky README tour, one run in 60).
 */
public final class FhirTimes {

  private FhirTimes() {}

  /** Now, to the second. */
  public static String now() {
    return ago(Duration.ZERO);
  }

  /** {@code ago} before now, to the second. */
  public static String ago(Duration ago) {
    return OffsetDateTime.now()
        .minus(ago)
        .truncatedTo(ChronoUnit.SECONDS)
        .format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
  }
}
