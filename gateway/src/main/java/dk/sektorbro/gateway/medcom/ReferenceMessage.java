package dk.sektorbro.gateway.medcom;

import dk.sektorbro.gateway.record.CanonicalRecord;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import org.hl7.fhir.r4.model.Bundle;

/**
 * A fictitious CareCommunication that exercises every part of the builder (encounter, attachment,
 * role code). The validator checks it at start-up: that loads and snapshots every profile a real
 * message needs, so the first real message is not slow, and it proves the builder still produces
 * valid output against the installed packages. Never sent anywhere.
 */
public final class ReferenceMessage {

  private ReferenceMessage() {}

  public static Bundle build(CareCommunicationBuilder builder) {
    CanonicalRecord record = record();
    return builder.build(
        record, MessageIds.generate(UUID::randomUUID, record.attachments().size()));
  }

  static CanonicalRecord record() {
    OffsetDateTime at = OffsetDateTime.parse("2026-01-01T12:00:00+01:00");
    String pdf =
        Base64.getEncoder().encodeToString("%PDF-1.4\n%%EOF\n".getBytes(StandardCharsets.US_ASCII));
    return new CanonicalRecord(
        "reference-message",
        // MedCom's own example citizen and organisations (fictitious).
        new CanonicalRecord.Citizen("0201919990", "Test", "Testesen"),
        new CanonicalRecord.Organisation(
            "325371000016006", "5790000120314", "Afsender (reference)"),
        new CanonicalRecord.Author("Test", "Testesen", "sygeplejerske", "+45 11 22 33 44"),
        new CanonicalRecord.Organisation(
            "265161000016000", "5790000209354", "Modtager (reference)"),
        MedComCodes.CATEGORY_REGARDING_REFERRAL,
        "Reference",
        "Referencebesked til opvarmning af validatoren.",
        "routine",
        UUID.nameUUIDFromBytes("reference-episode".getBytes(StandardCharsets.US_ASCII)).toString(),
        at,
        List.of(),
        null,
        List.of(new CanonicalRecord.Attachment("Reference.pdf", "application/pdf", pdf, at)));
  }
}
