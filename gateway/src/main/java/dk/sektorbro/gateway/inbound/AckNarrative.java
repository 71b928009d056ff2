package dk.sektorbro.gateway.inbound;

import dk.sektorbro.gateway.medcom.Xhtml;
import java.text.SimpleDateFormat;
import java.util.Date;
import java.util.TimeZone;
import java.util.stream.Collectors;
import org.hl7.fhir.r4.model.DomainResource;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.MessageHeader;
import org.hl7.fhir.r4.model.Narrative;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.Provenance;
import org.hl7.fhir.r4.model.Resource;

/**
 * Narratives of the resources an acknowledgement adds (MedCom: every resource but the Bundle has
 * one, status generated, with its id and references; Danish with the English code). No personal
 * data: an acknowledgement carries organisations, ids, codes and the outcome only.
 */
final class AckNarrative {

  private AckNarrative() {}

  static void messageHeader(MessageHeader h, Organization us, Organization them) {
    set(
        h,
        "Kvittering (acknowledgement-message) " + h.getIdPart(),
        row("Svar på / response to", h.getResponse().getIdentifier()),
        row("Svarkode / response code", h.getResponse().getCode().toCode()),
        row("Afsender / sender", name(us) + " (" + h.getSender().getReference() + ")"),
        row(
            "Modtager / receiver",
            name(them) + " (" + h.getDestinationFirstRep().getReceiver().getReference() + ")"),
        row(
            "Detaljer / details",
            h.getResponse().hasDetails() ? h.getResponse().getDetails().getReference() : "-"));
  }

  static void outcome(OperationOutcome o) {
    String issues =
        o.getIssue().stream()
            .map(
                i ->
                    "<li>"
                        + esc(
                            i.getSeverity().toCode()
                                + " "
                                + i.getCode().toCode()
                                + " "
                                + i.getDetails().getCodingFirstRep().getCode()
                                + (i.getDetails().hasText() ? ": " + i.getDetails().getText() : ""))
                        + "</li>")
            .collect(Collectors.joining());
    o.getText()
        .setStatus(Narrative.NarrativeStatus.GENERATED)
        .setDivAsString(
            "<div xmlns=\"http://www.w3.org/1999/xhtml\"><p><b>"
                + esc("Fejl / issues, OperationOutcome " + o.getIdPart())
                + "</b></p><ul>"
                + issues
                + "</ul></div>");
  }

  static void provenance(Provenance p) {
    set(
        p,
        "Provenance " + p.getIdPart() + ": " + p.getActivity().getCodingFirstRep().getCode(),
        row("Mål / target", p.getTargetFirstRep().getReference()),
        row("Tidspunkt / occurred", time(p.getOccurredDateTimeType().getValue())),
        row("Registreret / recorded", time(p.getRecorded())),
        row("Aktør / agent", p.getAgentFirstRep().getWho().getReference()),
        row("Tidligere meddelelse / revision of", p.getEntityFirstRep().getWhat().getReference()));
  }

  static void organization(Organization o) {
    set(
        o,
        "Organisation " + o.getIdPart(),
        row("Navn / name", name(o)),
        row(
            "Identifikatorer / identifiers",
            o.getIdentifier().stream()
                    .map(Identifier::getSystem)
                    .map(s -> s == null ? "?" : s)
                    .collect(Collectors.joining(", "))
                + ": "
                + o.getIdentifier().stream()
                    .map(Identifier::getValue)
                    .collect(Collectors.joining(", "))));
  }

  private static void set(Resource r, String title, String... rows) {
    ((DomainResource) r)
        .getText()
        .setStatus(Narrative.NarrativeStatus.GENERATED)
        .setDivAsString(
            "<div xmlns=\"http://www.w3.org/1999/xhtml\"><p><b>"
                + esc(title)
                + "</b></p><table>"
                + String.join("", rows)
                + "</table></div>");
  }

  private static String row(String label, String value) {
    return "<tr><td>" + esc(label) + "</td><td>" + esc(value == null ? "-" : value) + "</td></tr>";
  }

  private static String name(Organization o) {
    return o.hasName() ? o.getName() : o.getIdPart();
  }

  // Danish local time with the offset, as MedCom's narratives show times.
  private static String time(Date at) {
    if (at == null) {
      return "-";
    }
    SimpleDateFormat format = new SimpleDateFormat("yyyy-MM-dd HH:mm:ssXXX");
    format.setTimeZone(TimeZone.getTimeZone("Europe/Copenhagen"));
    return format.format(at);
  }

  private static String esc(String text) {
    return Xhtml.escape(text);
  }
}
