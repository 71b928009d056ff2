package dk.sektorbro.gateway.inbound;

import dk.sektorbro.gateway.medcom.CareCommunicationBuilder;
import dk.sektorbro.gateway.medcom.MessageIds;
import dk.sektorbro.gateway.record.CanonicalRecord;
import dk.sektorbro.gateway.record.CanonicalRecord.Attachment;
import dk.sektorbro.gateway.record.CanonicalRecord.Author;
import dk.sektorbro.gateway.record.CanonicalRecord.Citizen;
import dk.sektorbro.gateway.record.CanonicalRecord.Organisation;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;
import org.hl7.fhir.r4.model.Bundle;

/**
 * CareCommunications as a hospital's system sends them to the municipality (built with the
 * gateway's own builder, sender and recipient the other way round), with fictitious people. (Public
 * for the process-level tests in crash/.)
 */
public final class HospitalMessages {

  static final Organisation HOSPITAL =
      new Organisation("990031000016002", "5790009900030", "Region Nord Psykiatri, P3");
  public static final Organisation SOCIAL_PSYCHIATRY =
      new Organisation("990011000016008", "5790009900016", "Nordby Kommune, Socialpsykiatrien");
  static final Organisation HOME_CARE =
      new Organisation("990021000016004", "5790009900023", "Nordby Kommune, Hjemmeplejen");

  static final String TEXT =
      "Borgeren udskrives i morgen kl. 10.\nVedlagt foto af den nye doseringsæske.";
  static final String PNG =
      "iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAAEElEQVR4nGP4z8AARAwQCgAf7gP9i18U1AAAAABJRU5ErkJggg==";
  static final String EPISODE = "7c1e3a52-5b7e-4c0e-9f0a-2f1d9b6a4e11";

  private HospitalMessages() {}

  public static CanonicalRecord record(String cpr, Organisation to, String category) {
    return new CanonicalRecord(
        "hospital-" + UUID.randomUUID(),
        new Citizen(cpr, "Bo", "Prøvesen"),
        HOSPITAL,
        new Author("Hanne", "Lund", "sygeplejerske", "+45 70 11 22 33"),
        to,
        category,
        "Udskrivelse i morgen",
        TEXT,
        null,
        EPISODE,
        OffsetDateTime.parse("2026-11-20T10:15:00+01:00"),
        List.of(),
        null,
        List.of(new Attachment("Doseringsæske.png", "image/png", PNG, null)));
  }

  public static Bundle bundle(CanonicalRecord record, Clock clock) {
    MessageIds ids = MessageIds.generate(UUID::randomUUID, record.attachments().size());
    return new CareCommunicationBuilder(clock, "https://hospital.example/fhir").build(record, ids);
  }
}
