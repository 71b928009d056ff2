package dk.sektorbro.gateway.addressing;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import dk.sektorbro.gateway.medcom.FhirMessageCodec;
import dk.sektorbro.gateway.medcom.SampleMessages;
import dk.sektorbro.gateway.platform.GatewayProperties.FhirFormat;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.hl7.fhir.r4.model.Binary;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.MessageHeader;
import org.hl7.fhir.r4.model.Organization;
import org.junit.jupiter.api.Test;

/**
 * The receiver identifiers read from the text are the ones HAPI's full parse finds, on every valid
 * sample as built by the gateway, in both formats.
 */
class ReceiverIdentifiersTest {

  private static final FhirMessageCodec CODEC = new FhirMessageCodec(FhirContext.forR4Cached());

  private static List<ReceiverIdentifiers.Identifier> byHapi(String message, FhirFormat format) {
    Bundle bundle = CODEC.parse(message, format);
    MessageHeader header = (MessageHeader) bundle.getEntryFirstRep().getResource();
    Organization receiver =
        (Organization) header.getDestinationFirstRep().getReceiver().getResource();
    return receiver.getIdentifier().stream()
        .map(i -> new ReceiverIdentifiers.Identifier(i.getSystem(), i.getValue()))
        .toList();
  }

  @Test
  void everySample_inBothFormats_hasTheIdentifiersHapiFinds() {
    List<Path> samples = SampleMessages.validSamples();
    assertThat(samples).isNotEmpty();
    for (Path sample : samples) {
      Bundle bundle = SampleMessages.bundle(SampleMessages.record(sample));
      for (FhirFormat format : FhirFormat.values()) {
        String message = CODEC.encode(bundle, format);
        List<ReceiverIdentifiers.Identifier> expected = byHapi(message, format);
        assertThat(expected)
            .as("%s %s", sample.getFileName(), format)
            .hasSizeGreaterThanOrEqualTo(2);
        assertThat(ReceiverIdentifiers.of(message, format))
            .as("%s %s", sample.getFileName(), format)
            .contains(expected);
      }
    }
  }

  @Test
  void aMessageWithALargeAttachment_hasTheIdentifiersHapiFinds() {
    Bundle bundle =
        SampleMessages.bundle(SampleMessages.record(SampleMessages.validSamples().get(0)));
    // 1.4 MB of base64 in one XML attribute (a legal attachment): more than the StAX parser's
    // default attribute limit (512 KB in Woodstox), which made such messages fail at delivery.
    Binary attachment = new Binary();
    attachment.setContentType("application/pdf");
    attachment.setData(new byte[1024 * 1024]);
    // Right after the MessageHeader, before the receiver, as a Communication's attachment is.
    bundle
        .getEntry()
        .add(
            1,
            new Bundle.BundleEntryComponent()
                .setFullUrl("urn:uuid:" + UUID.randomUUID())
                .setResource(attachment));
    for (FhirFormat format : FhirFormat.values()) {
      String message = CODEC.encode(bundle, format);
      assertThat(ReceiverIdentifiers.of(message, format))
          .as("%s", format)
          .contains(byHapi(message, format));
    }
  }

  @Test
  void aReceiverThatIsNoOrganizationInTheBundle_isEmpty() {
    Bundle bundle =
        SampleMessages.bundle(SampleMessages.record(SampleMessages.validSamples().get(0)));
    String xml = CODEC.encode(bundle, FhirFormat.XML);
    MessageHeader header = (MessageHeader) bundle.getEntryFirstRep().getResource();
    String receiverUrl = header.getDestinationFirstRep().getReceiver().getReference();
    String dangling =
        xml.replace(
            "<reference value=\"" + receiverUrl + "\"",
            "<reference value=\"urn:uuid:00000000-0000-4000-8000-000000000000\"");

    assertThat(dangling).isNotEqualTo(xml);
    assertThat(ReceiverIdentifiers.of(dangling, FhirFormat.XML)).isEqualTo(Optional.empty());
    assertThat(ReceiverIdentifiers.of("not a message", FhirFormat.XML)).isEmpty();
    assertThat(ReceiverIdentifiers.of("{\"resourceType\":\"Bundle\"}", FhirFormat.JSON)).isEmpty();
  }
}
