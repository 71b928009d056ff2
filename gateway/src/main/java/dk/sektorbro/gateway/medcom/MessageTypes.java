package dk.sektorbro.gateway.medcom;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * R14: a message type as each register spells it. SOR-EDI lists codes on the location number
 * (FDIS91 = CareCommunication); the EHMI Endpoint Register lists message definition URIs, in three
 * spellings (full, the older short form, and the SMP form without "##" and "::").
 */
public final class MessageTypes {

  /**
   * One message type: the MessageHeader event code, its version and the keys registers use for it.
   */
  public record MessageType(
      String eventCode, String version, String sorEdiCode, Set<String> definitionUris) {

    /**
     * True when a postbox listing these SOR-EDI codes or EER payload types can receive this type.
     */
    public boolean acceptedBy(Set<String> sorEdiCodes, Set<String> payloadTypes) {
      if (sorEdiCodes.contains(sorEdiCode)) {
        return true;
      }
      return payloadTypes.stream()
          .map(u -> u.toLowerCase(Locale.ROOT))
          .anyMatch(definitionUris::contains);
    }
  }

  public static final MessageType CARE_COMMUNICATION =
      type(
          "care-communication-message",
          "5.0",
          "FDIS91",
          "carecommunication-message",
          "carecommunication");
  public static final MessageType HOSPITAL_NOTIFICATION =
      type(
          "hospital-notification-message",
          "3.0",
          "FDIS20",
          "hospitalnotification-message",
          "hospitalnotification");
  public static final MessageType ACKNOWLEDGEMENT =
      type("acknowledgement-message", "2.0", "FCTL", "acknowledgement-message", "acknowledgement");

  private static final Map<String, MessageType> BY_NAME =
      Map.of(
          "carecommunication", CARE_COMMUNICATION,
          "care-communication-message", CARE_COMMUNICATION,
          "hospitalnotification", HOSPITAL_NOTIFICATION,
          "hospital-notification-message", HOSPITAL_NOTIFICATION,
          "acknowledgement", ACKNOWLEDGEMENT,
          "acknowledgement-message", ACKNOWLEDGEMENT);

  private MessageTypes() {}

  /**
   * By gateway name ("CareCommunication") or MessageHeader event code
   * ("care-communication-message").
   */
  public static Optional<MessageType> find(String name) {
    return name == null
        ? Optional.empty()
        : Optional.ofNullable(BY_NAME.get(name.strip().toLowerCase(Locale.ROOT)));
  }

  private static MessageType type(
      String eventCode, String version, String sorEdi, String uriName, String shortName) {
    String full =
        "urn:dk:healthcare:medcom:messaging:fhir:structuredefinition::"
            + uriName
            + "##urn:dk:medcom:fhir:"
            + uriName
            + "::"
            + version;
    String shortForm =
        "urn:dk:healthcare:medcom:messaging:fhir:structuredefinition:" + shortName + ":" + version;
    String smp = full.replace("##", "").replace("::", ":");
    return new MessageType(eventCode, version, sorEdi, Set.copyOf(List.of(full, shortForm, smp)));
  }
}
