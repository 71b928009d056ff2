package dk.sektorbro.gateway.careplan;

import dk.sektorbro.gateway.careplan.Plan.Contact;
import dk.sektorbro.gateway.careplan.Plan.Intervention;
import dk.sektorbro.gateway.careplan.Plan.YesNo;
import dk.sektorbro.gateway.medcom.Xhtml;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The Danish, human-readable form of a plan as XHTML fragments, laid out like the seeds' forms. The
 * same fragments are the FHIR narrative of the document's sections and the body of the PDF, so what
 * a FHIR recipient and a postbox recipient read cannot drift apart.
 */
public final class PlanHtml {

  static final DateTimeFormatter DANISH_DATE = DateTimeFormatter.ofPattern("dd.MM.yyyy");

  /** One titled part of the rendering; {@code body} is well-formed XHTML without a wrapping div. */
  public record Part(String title, String body) {}

  /** "Koordinerende indsatsplan nr. 7", for titles and the letter text. */
  public static String title(Plan plan) {
    return plan.kind().display() + " nr. " + plan.number();
  }

  /** The header line on every rendering: plan kind, number, version and date. */
  public static String header(Plan plan) {
    return title(plan) + " – version " + plan.version() + " – " + date(plan.date());
  }

  /**
   * Warnings that must be visible on every rendering (issue 7): the citizen did not consent to
   * making the plan, did not approve it, or (§13b) did not agree.
   */
  public static List<String> warnings(Plan plan) {
    List<String> warnings = new ArrayList<>();
    if (plan.consentToPlan() == YesNo.NO) {
      warnings.add("Borgeren har IKKE givet samtykke til at planen udarbejdes.");
    }
    if (plan.approvedByCitizen() == YesNo.NO) {
      warnings.add("Planen er IKKE godkendt af borgeren.");
    }
    if (plan.citizenAgreed() == YesNo.NO) {
      warnings.add(
          "Borgeren er IKKE enig i planen (koordinationsplan efter psykiatrilovens § 13 b).");
    }
    return warnings;
  }

  /**
   * The CareCommunication text that carries the plan: the header line, the warnings (the letter is
   * a rendering too, and the first thing the recipient reads) and the source's own text.
   */
  public static String letter(Plan plan, String text) {
    StringBuilder letter = new StringBuilder(header(plan));
    warnings(plan).forEach(w -> letter.append("\nOBS: ").append(w));
    return letter.append("\n\n").append(text).toString();
  }

  /**
   * The letter of a plan version with its text replaced (an administrator's edit): the plan's
   * header and warnings ({@link #letter}) stay in front, as on the PDF, unless the new text starts
   * with them already.
   */
  public static String withText(String letter, String text) {
    int end = letter == null ? -1 : letter.indexOf("\n\n");
    if (end <= 0) {
      return text;
    }
    String head = letter.substring(0, end);
    return text.startsWith(head) ? text : head + "\n\n" + text;
  }

  public List<Part> parts(Plan plan) {
    List<Part> parts = new ArrayList<>();
    parts.add(new Part("Borger og plan", citizen(plan)));
    if (!plan.contacts().isEmpty()) {
      parts.add(new Part("Kontaktpersoner", contacts(plan.contacts())));
    }
    if (!plan.meeting().isEmpty()) {
      parts.add(
          new Part(
              "Koordineringsmøde",
              rows(
                  row("Dato", date(plan.meeting().date())),
                  row("Til stede", plan.meeting().present()),
                  row("Fraværende", plan.meeting().absent()))));
    }
    if (!plan.admission().isEmpty()) {
      parts.add(
          new Part(
              "Indlæggelse og udskrivelse",
              rows(
                  row("Indlagt", date(plan.admission().admitted())),
                  row("Forventet udskrivelse", date(plan.admission().expectedDischarge())),
                  row(
                      "Forventet færdigbehandlet (klar til udskrivelse)",
                      date(plan.admission().readyForDischarge())))));
    }
    for (Plan.Section section : plan.sections()) {
      parts.add(new Part(section.kind().title(), "<p>" + lines(section.text()) + "</p>"));
    }
    if (!plan.interventions().isEmpty()) {
      parts.add(new Part("Konkrete indsatser", interventions(plan.interventions())));
    }
    if (!plan.nextMeeting().isEmpty() || plan.minuteTaker() != null) {
      parts.add(
          new Part(
              "Næste møde",
              rows(
                  row("Dato", date(plan.nextMeeting().date())),
                  row("Sted", plan.nextMeeting().place()),
                  row("Referent", plan.minuteTaker()))));
    }
    return parts;
  }

  /** The warnings as an XHTML block (empty string when there are none). */
  public static String warningBlock(Plan plan) {
    List<String> warnings = warnings(plan);
    if (warnings.isEmpty()) {
      return "";
    }
    StringBuilder html = new StringBuilder("<div class=\"warning\">");
    warnings.forEach(w -> html.append("<p><b>OBS: ").append(escape(w)).append("</b></p>"));
    return html.append("</div>").toString();
  }

  private static String citizen(Plan plan) {
    return rows(
        row("Navn", name(plan.citizen().givenName(), plan.citizen().familyName())),
        row("CPR-nr.", cpr(plan.citizen().cpr())),
        row("Adresse", plan.citizenAddress()),
        row("Telefon", plan.citizenPhone()),
        row("Handlekommune", plan.actingMunicipality()),
        row("Betalingskommune", plan.payingMunicipality()),
        row("Samtykke til at udarbejde planen", plan.consentToPlan().danish()),
        row("Planen godkendt af borger", plan.approvedByCitizen().danish()),
        plan.kind() == PlanKind.DISCHARGE_AGREEMENT || plan.kind() == PlanKind.COORDINATION_PLAN
            ? row("Borgeren er enig i planen", plan.citizenAgreed().danish())
            : "",
        row("Udarbejdet af", plan.author().name()),
        row("Planversion", Integer.toString(plan.version())));
  }

  private static String contacts(List<Contact> contacts) {
    StringBuilder html =
        new StringBuilder(
            "<table><thead><tr><th>Funktion</th><th>Titel og navn</th>"
                + "<th>Arbejdssted</th><th>Telefon</th><th>E-mail</th></tr></thead><tbody>");
    for (Contact c : contacts) {
      html.append("<tr>")
          .append(gridCell(c.role()))
          .append(gridCell(join(c.title(), c.name())))
          .append(gridCell(c.workplace()))
          .append(gridCell(c.phone()))
          .append(gridCell(c.email()))
          .append("</tr>");
    }
    return html.append("</tbody></table>").toString();
  }

  private static String interventions(List<Intervention> interventions) {
    StringBuilder html =
        new StringBuilder(
            "<table><thead><tr><th>Indsats</th><th>Mål og beskrivelse</th>"
                + "<th>Tidsplan</th><th>Ansvarlig</th></tr></thead><tbody>");
    for (Intervention i : interventions) {
      html.append("<tr>")
          .append(gridCell(i.title()))
          .append(gridCell(i.goal()))
          .append(gridCell(i.timetable()))
          .append(gridCell(i.responsible()))
          .append("</tr>");
    }
    return html.append("</tbody></table>").toString();
  }

  private static String rows(String... rows) {
    StringBuilder html = new StringBuilder("<table><tbody>");
    for (String row : rows) {
      html.append(row);
    }
    return html.append("</tbody></table>").toString();
  }

  // A row only for a value the plan has: an empty form line says nothing the reader needs.
  private static String row(String label, String value) {
    if (value == null || value.isBlank()) {
      return "";
    }
    return "<tr><th>" + escape(label) + "</th><td>" + lines(value) + "</td></tr>";
  }

  /**
   * A cell of the many-column tables (contacts, interventions). Only a cell holding a word longer
   * than {@value #LONG_WORD} characters (an e-mail address, a URL) may break words (class {@code
   * long}, plan.html): breaking allowed in every cell made each column's narrowest width a
   * letter's, so the table layout shrank them all and broke ordinary words; one such cell still
   * takes the width the others leave.
   */
  private static String gridCell(String value) {
    if (value == null || LONG.matcher(value).find()) {
      return value == null ? "<td></td>" : "<td class=\"long\">" + lines(value) + "</td>";
    }
    return "<td>" + lines(value) + "</td>";
  }

  /** Longer than any word of the form's own ("Misbrugsbehandlingsenheden" has 26 letters). */
  private static final int LONG_WORD = 30;

  private static final Pattern LONG = Pattern.compile("\\S{" + (LONG_WORD + 1) + ",}");

  private static String join(String title, String name) {
    return title == null ? name : name + ", " + title;
  }

  static String name(String given, String family) {
    return given == null ? family : given + " " + family;
  }

  static String cpr(String cpr) {
    return cpr == null || cpr.length() != 10 ? cpr : cpr.substring(0, 6) + "-" + cpr.substring(6);
  }

  static String date(LocalDate date) {
    return date == null ? null : DANISH_DATE.format(date);
  }

  private static String lines(String text) {
    return escape(text).replace("\n", "<br/>");
  }

  static String escape(String text) {
    return Xhtml.escape(text);
  }
}
