package dk.sektorbro.gateway.inbound;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * {@code gateway.handover.*}: the municipal systems that take messages coming back from hospitals,
 * each by the SOR codes and GLNs (location numbers) it serves, and {@code receivers}: further GLNs
 * or SOR codes this gateway receives for (handed over in {@code <data-dir>/handover/<GLN>/}). A
 * message for any other receiver is refused (MedCom MSG_Receiver_Identifier_UNKNOWN).
 */
@Validated
@ConfigurationProperties("gateway.handover")
public record HandoverProperties(Map<String, HandoverSystem> systems, List<String> receivers) {

  public HandoverProperties {
    systems =
        systems == null
            ? Map.of()
            : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(systems));
    receivers = receivers == null ? List.of() : List.copyOf(receivers);
  }

  /**
   * Whether messages for this receiver are taken here: a system serves it, or it is one of {@code
   * receivers}.
   */
  public boolean serves(String receiverSor, String receiverGln) {
    return systemFor(receiverSor, receiverGln).isPresent()
        || (receiverGln != null && receivers.contains(receiverGln))
        || (receiverSor != null && receivers.contains(receiverSor));
  }

  /** The system serving this receiver: a SOR match first (the more specific), then a GLN match. */
  public Optional<Map.Entry<String, HandoverSystem>> systemFor(
      String receiverSor, String receiverGln) {
    return systems.entrySet().stream()
        .filter(e -> receiverSor != null && e.getValue().sor().contains(receiverSor))
        .findFirst()
        .or(
            () ->
                systems.entrySet().stream()
                    .filter(e -> receiverGln != null && e.getValue().gln().contains(receiverGln))
                    .findFirst());
  }

  /**
   * One municipal system. {@code folder} defaults to {@code <data-dir>/handover/<name>/}; {@code
   * fhirFormat} is the FHIR message's format there (AS_RECEIVED, XML or JSON); {@code mapping}
   * names the source mapping whose {@code reverse:} section writes the system's own format next to
   * it.
   */
  public record HandoverSystem(
      List<String> sor,
      List<String> gln,
      Path folder,
      @DefaultValue("AS_RECEIVED") FhirFormat fhirFormat,
      String mapping,
      @DefaultValue OnwardConsent consent) {

    public HandoverSystem {
      sor = sor == null ? List.of() : List.copyOf(sor);
      gln = gln == null ? List.of() : List.copyOf(gln);
      fhirFormat = fhirFormat == null ? FhirFormat.AS_RECEIVED : fhirFormat;
      consent = consent == null ? new OnwardConsent(false, null, null, null, List.of()) : consent;
    }
  }

  /** The format of the handed-over FHIR message. */
  public enum FhirFormat {
    AS_RECEIVED,
    XML,
    JSON
  }

  /**
   * Consent to the onward disclosure inside the municipality: when {@code required}, the message is
   * handed over only if a consent in force covers this system's unit ({@code recipientSor}, default
   * the system's first SOR code), these information categories and this purpose.
   */
  public record OnwardConsent(
      @DefaultValue("false") boolean required,
      String recipientSor,
      String recipientKind,
      String purpose,
      List<String> informationCategories) {

    public OnwardConsent {
      informationCategories =
          informationCategories == null ? List.of() : List.copyOf(informationCategories);
    }
  }
}
