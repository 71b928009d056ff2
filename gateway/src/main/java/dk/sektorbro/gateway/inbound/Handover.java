package dk.sektorbro.gateway.inbound;

import ca.uhn.fhir.context.FhirContext;
import dk.sektorbro.gateway.delivery.envelope.EnvelopeFacts;
import dk.sektorbro.gateway.inbound.HandoverProperties.HandoverSystem;
import dk.sektorbro.gateway.mapping.MappingDefinition;
import dk.sektorbro.gateway.mapping.MappingRegistry;
import dk.sektorbro.gateway.mapping.RecordFormat;
import dk.sektorbro.gateway.mapping.ReverseMapper;
import dk.sektorbro.gateway.medcom.MedComCodes;
import dk.sektorbro.gateway.platform.GatewayProperties;
import dk.sektorbro.gateway.record.LocationNumbers;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.hl7.fhir.r4.model.Bundle;
import org.springframework.stereotype.Service;

/**
 * Hands an accepted message to the municipal system that serves its receiver: the FHIR message,
 * plus the system's own format where its mapping declares {@code reverse:} (CareCommunications),
 * unless the onward disclosure needs a consent that does not hold; then the message is kept.
 * Receivers no system serves get the default folder {@code <data-dir>/handover/<GLN>/}.
 */
@Service
public class Handover {

  private final HandoverProperties properties;
  private final OnwardDisclosure onward;
  private final MappingRegistry mappings;
  private final FhirContext fhir;
  private final HandoverFiles files;
  private final Path handoverDir;

  public Handover(
      HandoverProperties properties,
      OnwardDisclosure onward,
      MappingRegistry mappings,
      FhirContext fhir,
      HandoverFiles files,
      GatewayProperties gateway) {
    this.files = files;
    this.properties = properties;
    this.onward = onward;
    this.mappings = mappings;
    this.fhir = fhir;
    this.handoverDir = gateway.dataDir().resolve("handover");
    HandoverConfigCheck.check(properties, mappings);
  }

  public enum Status {
    HANDED_OVER,
    KEPT
  }

  /** What happened: the system (null for the default folder), the FHIR file written, and why. */
  public record Result(
      String system, Status status, String path, String reason, String citizenCpr) {}

  /**
   * Whether this gateway takes messages for the message's receiver (see {@link
   * HandoverProperties#serves}).
   */
  public boolean serves(EnvelopeFacts facts) {
    return properties.serves(facts.receiverSor(), facts.receiverGln());
  }

  /**
   * @throws IOException the file system failed (transient: the sender's resend is processed afresh)
   * @throws HandoverRefused the message cannot be handed over as it is (permanent)
   */
  public Result handOver(Bundle bundle, EnvelopeFacts facts, String text, boolean xml)
      throws IOException {
    return handOver(bundle, facts, text, xml, null);
  }

  /**
   * An administrator's release of a kept message ({@code release} says who and why): the consent is
   * checked again and, where it still does not hold, the message is handed over on the
   * administrator's word, for a citizen no consent can name (a replacement CPR). A citizen's
   * refusal is never overridden: the result is then KEPT again, with the refusal.
   */
  public Result release(
      Bundle bundle, EnvelopeFacts facts, String text, boolean xml, String release)
      throws IOException {
    return handOver(bundle, facts, text, xml, release);
  }

  private Result handOver(
      Bundle bundle, EnvelopeFacts facts, String text, boolean xml, String release)
      throws IOException {
    String fileName = HandoverFileNames.of(facts.messageHeaderId());
    String cpr = ReceivedMessageReader.citizenCpr(bundle).orElse(null);
    Optional<Map.Entry<String, HandoverSystem>> configured =
        properties.systemFor(facts.receiverSor(), facts.receiverGln());
    if (configured.isEmpty()) {
      String gln =
          LocationNumbers.isValidGln(facts.receiverGln()) ? facts.receiverGln() : "unaddressed";
      HandoverFiles.Placed written =
          write(handoverDir.resolve(gln), fileName + (xml ? ".xml" : ".json"), text);
      return new Result(
          null,
          Status.HANDED_OVER,
          written.path().toString(),
          "handed over to the default folder handover/"
              + gln
              + " (no system configured for the receiver"
              + again(written)
              + ")",
          cpr);
    }
    String name = configured.get().getKey();
    HandoverSystem system = configured.get().getValue();
    OnwardDisclosure.Verdict verdict = onward.check(name, system, cpr, facts.category());
    if (!verdict.permitted() && (release == null || verdict.refused())) {
      return new Result(name, Status.KEPT, null, "kept, not handed over: " + verdict.reason(), cpr);
    }
    String basis =
        verdict.permitted()
            ? verdict.reason()
            : release + " without the onward-disclosure consent (" + verdict.reason() + ")";
    Path folder = system.folder() != null ? system.folder() : handoverDir.resolve(name);
    boolean asXml =
        system.fhirFormat() == HandoverProperties.FhirFormat.AS_RECEIVED
            ? xml
            : system.fhirFormat() == HandoverProperties.FhirFormat.XML;
    HandoverFiles.Placed fhirFile =
        write(folder, fileName + (asXml ? ".xml" : ".json"), fhirText(bundle, text, xml, asXml));
    String own = ownFormat(system, bundle, facts, folder, fileName);
    return new Result(
        name,
        Status.HANDED_OVER,
        fhirFile.path().toString(),
        "handed over to "
            + name
            + " (FHIR "
            + fhirFile.path().getFileName()
            + again(fhirFile)
            + own
            + "); "
            + basis,
        cpr);
  }

  // The system's own format is a convenience next to the FHIR message: a message it cannot express
  // (no reverse mapping, not a CareCommunication, a code without a way back) is still handed over.
  private String ownFormat(
      HandoverSystem system, Bundle bundle, EnvelopeFacts facts, Path folder, String fileName)
      throws IOException {
    if (system.mapping() == null) {
      return "";
    }
    MappingDefinition mapping = mappings.find(system.mapping()).orElseThrow();
    if (!MedComCodes.EVENT_CARE_COMMUNICATION.equals(facts.eventCode())) {
      return "; no " + mapping.source() + " format for " + facts.eventCode();
    }
    try {
      byte[] content = ReverseMapper.write(mapping, ReceivedMessageReader.read(bundle));
      String ext = mapping.format() == RecordFormat.JSON ? "json" : "xml";
      HandoverFiles.Placed file =
          files.place(folder, fileName + "." + mapping.source() + "." + ext, content);
      return ", " + mapping.source() + " " + file.path().getFileName() + again(file);
    } catch (ReverseMapper.ReverseMappingException e) {
      return "; " + mapping.source() + " format not written: " + e.getMessage();
    }
  }

  private String fhirText(Bundle bundle, String text, boolean receivedXml, boolean asXml) {
    if (receivedXml == asXml) {
      return text;
    }
    return (asXml ? fhir.newXmlParser() : fhir.newJsonParser())
        .setPrettyPrint(true)
        .encodeResourceToString(bundle);
  }

  private HandoverFiles.Placed write(Path folder, String name, String text) throws IOException {
    return files.place(folder, name, text.getBytes(StandardCharsets.UTF_8));
  }

  // A resend after a crash that came between the file and its journal row (HandoverFiles).
  private static String again(HandoverFiles.Placed file) {
    return file.written() ? "" : ", placed before a restart and not written again";
  }
}
