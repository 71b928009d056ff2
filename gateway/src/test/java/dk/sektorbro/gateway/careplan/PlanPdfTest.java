package dk.sektorbro.gateway.careplan;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import javax.xml.parsers.DocumentBuilderFactory;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.rendering.PDFRenderer;
import org.apache.pdfbox.text.PDFTextStripper;
import org.apache.pdfbox.text.TextPosition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The PDF of each plan kind holds the header and the plan's key fields, read back by text
 * extraction.
 */
class PlanPdfTest {

  private final PlanPdf renderer = new PlanPdf();

  static Stream<Arguments> kinds() {
    return Stream.of(
        Arguments.of(
            "kip-v1.json",
            List.of(
                "Koordinerende indsatsplan nr. KIP-2026-0007 – version 1 – 18.11.2026",
                "070349-5678",
                "Mads Testesen",
                "Handlekommune",
                "Nordby Kommune",
                "Betalingskommune",
                "Sydby Kommune",
                "Samtykke til at udarbejde planen Ja",
                "Planen er IKKE godkendt af borgeren",
                "Koordinator",
                "Ansvarlig for misbrugsbehandling",
                "Koordineringsmøde",
                "Fraværende",
                "Psykisk lidelse",
                "Bolig",
                "Ønsker for fremtiden",
                "Konkrete indsatser",
                "Bostøtte",
                "Næste møde",
                "12.01.2027",
                "Referent")),
        Arguments.of(
            "kriseplan.json",
            List.of(
                "Kriseplan nr. KRISE-2026-0011 – version 1 – 19.11.2026",
                "Tidlige tegn",
                "Strategier til håndtering af affekt",
                "Indlæggelseskriterier",
                "Alternativer til indlæggelse",
                "Akutplads i kommunen",
                "Distriktspsykiatrien")),
        Arguments.of(
            "udskrivningsaftale.json",
            List.of(
                "Udskrivningsaftale (psykiatrilovens § 13 a)",
                "Borgeren er enig i planen Ja",
                "Behandlingstilbud efter udskrivelse",
                "Sociale tilbud efter udskrivelse",
                "Opfølgning og statusmøder",
                "Kontaktperson")),
        Arguments.of(
            "koordinationsplan.json",
            List.of(
                "Koordinationsplan (psykiatrilovens § 13 b)",
                "Borgeren er IKKE enig i planen",
                "Planen er IKKE godkendt af borgeren",
                "Statusmøder hver måned")),
        Arguments.of(
            "plejeforloebsplan.json",
            List.of(
                "Plejeforløbsplan nr. PFP-2026-0021 – version 1 – 21.11.2026",
                "Indlagt 14.11.2026",
                "Forventet udskrivelse 05.12.2026",
                "klar til udskrivelse) 03.12.2026",
                "Forventet status og behov ved udskrivelse",
                "Behov for yderligere koordinering")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("kinds")
  void pdf_containsHeaderAndKeyFields(String sample, List<String> expected) throws IOException {
    String text = text(renderer.pdf(SamplePlans.plan(sample)));

    assertThat(text).contains(expected);
  }

  @Test
  void everyPage_repeatsTheHeader() throws IOException {
    byte[] pdf = renderer.pdf(SamplePlans.plan("kip-v2.json"));
    try (PDDocument document = Loader.loadPDF(pdf)) {
      PDFTextStripper stripper = new PDFTextStripper();
      for (int page = 1; page <= document.getNumberOfPages(); page++) {
        stripper.setStartPage(page);
        stripper.setEndPage(page);
        assertThat(normalise(stripper.getText(document))).contains("version 2 – 12.01.2027");
      }
    }
  }

  @Test
  void html_isWellFormedXhtmlWithTheWarning() {
    String page = renderer.page(SamplePlans.plan("kip-v1.json"));
    assertThat(page).startsWith("<?xml").contains("<div class=\"warning\">");
  }

  @Test
  void html_escapesWhatTheSourceWrote_andStaysParsableXml() throws Exception {
    Plan plan =
        SamplePlans.plan(
            "kip-v1.json",
            json -> json.replace("Prøvevej 12, 9999 Nordby", "Prøvevej 12 <b>& 'x'</b>"));

    String page = renderer.page(plan);

    assertThat(page)
        .contains("Prøvevej 12 &lt;b&gt;&amp; &#39;x&#39;&lt;/b&gt;")
        .doesNotContain("<b>& 'x'</b>")
        .doesNotContain("th:text", "th:utext", "xmlns:th");
    DocumentBuilderFactory xml = DocumentBuilderFactory.newInstance();
    xml.setNamespaceAware(true);
    var document =
        xml.newDocumentBuilder()
            .parse(new ByteArrayInputStream(page.getBytes(StandardCharsets.UTF_8)));
    assertThat(document.getElementsByTagName("h2").getLength())
        .isEqualTo(new PlanHtml().parts(plan).size());
  }

  @Test
  void namesOutsideWindows1252_arePrintedAsWritten() throws IOException {
    // The PDF standard fonts printed "#ukasz" for Łukasz: a name the reader cannot check.
    String names = "Łukasz Gülşen Ελένη Ольга Nguyễn Őrsi";
    Plan plan = SamplePlans.plan("kip-v1.json", json -> json.replace("Testesen", names));

    String text = text(renderer.pdf(plan));

    assertThat(text).contains(names).doesNotContain("#");
  }

  @Test
  void aLongWordWithoutSpaces_staysOnThePage() throws IOException {
    // A URL, a medication list or a row of dashes written without a space: unbroken it ran off the
    // right edge of the page. Text extraction still found it; a reader of the page does not.
    String word = "X".repeat(300);
    Plan plan =
        SamplePlans.plan(
            "kip-v1.json",
            json ->
                json.replace("Prøvevej 12, 9999 Nordby", word) // a table cell
                    .replace("Skizofreni, behandlet", word)); // a free-text part

    byte[] pdf = renderer.pdf(plan);

    try (PDDocument document = Loader.loadPDF(pdf)) {
      List<String> offPage = new ArrayList<>();
      int[] xs = {0};
      PDFTextStripper stripper =
          new PDFTextStripper() {
            @Override
            protected void processTextPosition(TextPosition glyph) {
              float width = getCurrentPage().getMediaBox().getWidth();
              if (glyph.getX() < 0 || glyph.getX() + glyph.getWidth() > width) {
                offPage.add(glyph.getUnicode());
              }
              if (glyph.getUnicode().equals("X")) {
                xs[0]++;
              }
              super.processTextPosition(glyph);
            }
          };
      stripper.getText(document);
      assertThat(xs[0]).as("every X printed").isEqualTo(2 * word.length());
      assertThat(offPage).as("glyphs beyond the page's edge").isEmpty();
    }
  }

  @Test
  void aLongWordInTheContactsOrInterventionsTable_isBroken_ordinaryWordsStayWhole()
      throws IOException {
    // An e-mail address and a URL without a space ran past their column and off the page there.
    String email =
        "karen.holm.socialraadgiver.koordinator@socialpsykiatrien.nordby-kommune.example";
    String url = "https://nordby.example/socialpsykiatri/bostoette/planer/2026/uge-48/opstart.html";
    Plan plan =
        SamplePlans.plan(
            "kip-v1.json",
            json ->
                json.replace("karen.holm@nordby.example", email).replace("Opstart december", url));

    byte[] pdf = renderer.pdf(plan);
    pageForALook(pdf, "long-words");

    try (PDDocument document = Loader.loadPDF(pdf)) {
      List<String> offPage = new ArrayList<>();
      PDFTextStripper stripper =
          new PDFTextStripper() {
            @Override
            protected void processTextPosition(TextPosition glyph) {
              float width = getCurrentPage().getMediaBox().getWidth();
              if (glyph.getX() < 0 || glyph.getX() + glyph.getWidth() > width - 40) {
                offPage.add(glyph.getUnicode());
              }
              super.processTextPosition(glyph);
            }
          };
      stripper.getText(document);
      assertThat(offPage).as("glyphs in the page's right margin or beyond").isEmpty();
    }
    // The words of the form's cells are not broken (a broken word comes out as two here).
    assertThat(text(pdf))
        .contains(
            "Misbrugskonsulent",
            "Socialpsykiatrien",
            "Rusmiddelcenter",
            "Misbrugsbehandling",
            "+45 20 11 22 33",
            "Socialrådgiver");
  }

  /** The PDF and its first page as PNG in target/plan-pdfs, for a person to look at. */
  private static void pageForALook(byte[] pdf, String name) throws IOException {
    Path folder = Files.createDirectories(Path.of("target/plan-pdfs"));
    Files.write(folder.resolve(name + ".pdf"), pdf);
    try (PDDocument document = Loader.loadPDF(pdf)) {
      ImageIO.write(
          new PDFRenderer(document).renderImageWithDPI(0, 70),
          "png",
          folder.resolve(name + ".png").toFile());
    }
  }

  static String text(byte[] pdf) throws IOException {
    try (PDDocument document = Loader.loadPDF(pdf)) {
      return normalise(new PDFTextStripper().getText(document));
    }
  }

  // Table cells and line wraps come out as line breaks: compare on single spaces.
  private static String normalise(String text) {
    return text.replaceAll("\\s+", " ");
  }
}
