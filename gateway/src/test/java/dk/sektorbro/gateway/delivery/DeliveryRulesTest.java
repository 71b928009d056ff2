package dk.sektorbro.gateway.delivery;

import static dk.sektorbro.gateway.support.BundleResources.resources;
import static org.assertj.core.api.Assertions.assertThat;

import dk.sektorbro.gateway.delivery.settings.DeliveryProperties;
import dk.sektorbro.gateway.medcom.SampleMessages;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Date;
import java.util.List;
import java.util.Map;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Provenance;
import org.junit.jupiter.api.Test;

/** Retry back-off and the resend's new Bundle (MedCom MR7), without Camel or Spring. */
class DeliveryRulesTest {

  @Test
  void backOff_doublesFromTheInitialDelay_upToTheCap() {
    DeliveryProperties.Retry retry =
        new DeliveryProperties.Retry(Duration.ofSeconds(30), 2.0, Duration.ofMinutes(5));
    assertThat(
            List.of(1, 2, 3, 4, 5, 6, 20).stream()
                .map(n -> DeliveryWork.retryDelay(retry, n))
                .toList())
        .containsExactly(
            Duration.ofSeconds(30),
            Duration.ofSeconds(60),
            Duration.ofSeconds(120),
            Duration.ofSeconds(240),
            Duration.ofMinutes(5),
            Duration.ofMinutes(5),
            Duration.ofMinutes(5));
  }

  @Test
  void renew_newBundleIdAndTimestamps_sameMessageHeaderId() {
    Bundle bundle =
        SampleMessages.bundle(SampleMessages.record(SampleMessages.validSamples().get(0)));
    String headerId = bundle.getEntryFirstRep().getResource().getIdElement().getIdPart();
    String oldBundleId = bundle.getIdPart();
    Date later = Date.from(Instant.parse("2026-11-20T10:00:00Z"));

    Bundle renewed = BundleRenewal.renew(bundle, "new-bundle-id", later);

    assertThat(renewed.getIdPart()).isEqualTo("new-bundle-id").isNotEqualTo(oldBundleId);
    assertThat(renewed.getTimestamp()).isEqualTo(later);
    assertThat(renewed.getEntryFirstRep().getResource().getIdElement().getIdPart())
        .isEqualTo(headerId);
    Provenance own =
        resources(renewed, Provenance.class).stream()
            .filter(p -> p.getTargetFirstRep().getReference().endsWith(headerId))
            .findFirst()
            .orElseThrow();
    assertThat(own.getRecorded()).isEqualTo(later);
    assertThat(own.getOccurredDateTimeType().getValue()).isEqualTo(later);
    // Danish local time (10:00Z is 11:00 in November), in the elements and in the narrative, which
    // no longer shows the first send's time.
    assertThat(own.getOccurredDateTimeType().getValueAsString())
        .isEqualTo("2026-11-20T11:00:00+01:00");
    assertThat(own.getRecordedElement().getValueAsString()).isEqualTo("2026-11-20T11:00:00+01:00");
    assertThat(renewed.getTimestampElement().getValueAsString())
        .isEqualTo("2026-11-20T11:00:00+01:00");
    assertThat(own.getText().getDivAsString())
        .contains("2026-11-20T11:00:00+01:00")
        .doesNotContain(
            SampleMessages.CLOCK
                .instant()
                .atZone(ZoneId.of("Europe/Copenhagen"))
                .toOffsetDateTime()
                .toString()
                .substring(0, 16));
  }

  @Test
  void routeFor_listedRecipient_elseDefault() {
    DeliveryProperties.RecipientRoute http =
        new DeliveryProperties.RecipientRoute(
            DeliveryProperties.TransportKind.HTTP,
            DeliveryProperties.EnvelopeKind.SBDH,
            URI.create("https://h/fhir"),
            true,
            null);
    DeliveryProperties.RecipientRoute postbox =
        new DeliveryProperties.RecipientRoute(
            DeliveryProperties.TransportKind.POSTBOX,
            DeliveryProperties.EnvelopeKind.NONE,
            null,
            false,
            null);
    DeliveryProperties properties =
        new DeliveryProperties(
            postbox,
            Map.of("5790009900030", http),
            null,
            null,
            null,
            null,
            3,
            Duration.ofSeconds(1),
            Duration.ofSeconds(1));
    assertThat(properties.routeFor("5790009900030")).isEqualTo(http);
    assertThat(properties.routeFor("5790009900054")).isEqualTo(postbox);
  }
}
