package dk.sektorbro.gateway.mapping;

import static org.assertj.core.api.Assertions.assertThat;

import dk.sektorbro.gateway.mapping.MappingOutcome.Invalid;
import dk.sektorbro.gateway.mapping.MappingOutcome.Mapped;
import dk.sektorbro.gateway.support.TestFiles;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.Test;

/**
 * A record's own times (sentAt, an attachment's creation) may lie a little ahead of the gateway's
 * clock, never far: 2099 is a broken clock or a typing error, and the record is refused naming the
 * field, not sent with a note.
 */
class FutureTimesTest {

  private static final Map<String, MappingDefinition> MAPPINGS =
      MappingRegistry.load(TestFiles.MAPPINGS);
  private static final Instant NOW = Instant.parse("2026-11-20T09:30:00Z");
  private static final RecordMapper MAPPER =
      new RecordMapper(
          new CanonicalRecordRules(Clock.fixed(NOW, ZoneOffset.UTC), Duration.ofHours(3)));

  // Sent at 2026-11-20T09:14+01:00, its attachment created 2026-11-19T15:00+01:00.
  private static final String RECORD =
      new String(
          TestFiles.read(
              TestFiles.validSamples("nordby-socialpsykiatri").stream()
                  .filter(p -> p.getFileName().toString().equals("koordinering-med-bilag.json"))
                  .findFirst()
                  .orElseThrow()),
          StandardCharsets.UTF_8);

  @Test
  void sentAtFarInTheFuture_isRefusedNamingTheField_withTheDefaultTolerance() {
    RecordMapper defaults = new RecordMapper(new CanonicalRecordRules());
    MappingOutcome outcome =
        defaults.map(
            MAPPINGS.get("nordby-socialpsykiatri"),
            sentAt("2099-01-01T10:00:00+01:00").getBytes(StandardCharsets.UTF_8));
    assertThat(outcome).as(outcome.toString()).isInstanceOf(Invalid.class);
    Invalid invalid = (Invalid) outcome;
    assertThat(invalid.issues())
        .extracting(MappingIssue::field, MappingIssue::rule)
        .containsExactly(Tuple.tuple("sentAt", "not-in-the-future"));
    assertThat(invalid.summary()).doesNotContain("2099");
  }

  @Test
  void sentAtWithinTheTolerance_isAccepted_justBeyond_isRefused() {
    // 09:30Z is 10:30 Danish time; 3 hours of tolerance reach 13:30.
    assertThat(map(sentAt("2026-11-20T13:29:00+01:00"))).isInstanceOf(Mapped.class);
    assertThat(map(sentAt("2026-11-20T13:31:00+01:00"))).isInstanceOf(Invalid.class);
    // A source writing Danish local time with a UTC marker is an hour ahead: accepted.
    assertThat(map(sentAt("2026-11-20T11:30:00Z"))).isInstanceOf(Mapped.class);
  }

  @Test
  void attachmentCreatedFarInTheFuture_isRefusedNamingTheAttachment() {
    MappingOutcome outcome =
        map(
            RECORD.replace(
                "\"oprettet\": \"2026-11-19T15:00:00+01:00\"",
                "\"oprettet\": \"2099-11-19T15:00:00+01:00\""));
    assertThat(outcome).as(outcome.toString()).isInstanceOf(Invalid.class);
    assertThat(((Invalid) outcome).issues())
        .extracting(MappingIssue::field, MappingIssue::rule)
        .containsExactly(Tuple.tuple("attachments[0].creation", "not-in-the-future"));
  }

  private static String sentAt(String value) {
    String changed =
        RECORD.replace(
            "\"oprettet\": \"2026-11-20T09:14:00+01:00\"", "\"oprettet\": \"" + value + "\"");
    assertThat(changed).isNotEqualTo(RECORD);
    return changed;
  }

  private static MappingOutcome map(String record) {
    return MAPPER.map(
        MAPPINGS.get("nordby-socialpsykiatri"), record.getBytes(StandardCharsets.UTF_8));
  }
}
