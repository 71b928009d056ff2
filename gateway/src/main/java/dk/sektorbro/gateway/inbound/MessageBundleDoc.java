package dk.sektorbro.gateway.inbound;

import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;
import java.util.Map;

/**
 * The OpenAPI description of what FHIR {@code $process-message} takes and gives back: a FHIR R4
 * message Bundle, its first entry the MessageHeader (HAPI reads and writes it; this record only
 * documents the shape, it is never serialised).
 */
@Schema(
    name = "Bundle",
    description =
        "FHIR R4 message Bundle (type message), first entry the MessageHeader: a MedCom"
            + " Acknowledgement or a message from a hospital (CareCommunication,"
            + " HospitalNotification); in XML the same resource as FHIR XML")
public record MessageBundleDoc(
    @Schema(allowableValues = "Bundle", requiredMode = Schema.RequiredMode.REQUIRED)
        String resourceType,
    @Schema(description = "the Bundle id, new for every send") String id,
    @Schema(allowableValues = "message", requiredMode = Schema.RequiredMode.REQUIRED) String type,
    @Schema(description = "when the message was made, ISO 8601 with offset") String timestamp,
    @Schema(requiredMode = Schema.RequiredMode.REQUIRED) List<EntryDoc> entry) {

  @Schema(name = "BundleEntry")
  public record EntryDoc(
      @Schema(description = "the resource's full URL, e.g. urn:uuid:...") String fullUrl,
      @Schema(
              description = "a FHIR resource: MessageHeader first, then the resources it refers to",
              type = "object")
          Map<String, Object> resource) {}
}
