package dk.sektorbro.gateway.record;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.OffsetDateTime;
import java.util.List;
import org.junit.jupiter.api.Test;

class CanonicalRecordTest {

  @Test
  void readdressing_keepsEveryOtherField_legalBasisAndRecipientKindIncluded() {
    CanonicalRecord original =
        new CanonicalRecord(
            "R-1",
            new CanonicalRecord.Citizen("2101409996", "A", "B"),
            new CanonicalRecord.Organisation("990011000016008", null, "Afsender"),
            new CanonicalRecord.Author("C", "D", "socialpaedagog", null),
            new CanonicalRecord.Organisation("990031000016002", null, null),
            "other",
            "Emne",
            "Tekst",
            null,
            "E-1",
            OffsetDateTime.parse("2026-11-30T10:00:00+01:00"),
            List.of("health"),
            "care-coordination",
            List.of(),
            "psykiatrilov-13c",
            "begrundelse",
            "sygehus");

    CanonicalRecord.Organisation fixed =
        new CanonicalRecord.Organisation("990031000016002", "5790009900030", "P3");
    CanonicalRecord readdressed = original.withRecipient(fixed);

    assertThat(readdressed.recipient()).isEqualTo(fixed);
    assertThat(readdressed)
        .usingRecursiveComparison()
        .ignoringFields("recipient")
        .isEqualTo(original);
    assertThat(readdressed.legalBasis()).isEqualTo("psykiatrilov-13c");
    assertThat(readdressed.recipientKind()).isEqualTo("sygehus");
  }
}
