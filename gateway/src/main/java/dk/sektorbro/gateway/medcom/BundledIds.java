package dk.sektorbro.gateway.medcom;

import org.hl7.fhir.instance.model.api.IBaseResource;

/**
 * The id of a resource inside a received message Bundle. HAPI's parser gives an entry's resource
 * the id of the entry's fullUrl; for a {@code urn:uuid:<uuid>} fullUrl, which FHIR allows, that is
 * the whole URN, while the ids MedCom works with (MessageHeader.id, an acknowledgement's {@code
 * response.identifier}, a resource's {@code id} in our own acknowledgement) are the uuid alone: an
 * id cannot contain ':'.
 */
public final class BundledIds {

  private static final String URN_UUID = "urn:uuid:";

  private BundledIds() {}

  public static String of(IBaseResource resource) {
    String id = resource.getIdElement().getIdPart();
    return id != null && id.startsWith(URN_UUID) ? id.substring(URN_UUID.length()) : id;
  }
}
