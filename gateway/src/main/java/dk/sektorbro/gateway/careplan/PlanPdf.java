package dk.sektorbro.gateway.careplan;

import com.openhtmltopdf.pdfboxout.PdfRendererBuilder;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The plan as a full HTML page (template {@code careplan/plan.html}) and as PDF (openhtmltopdf,
 * PDFBox): what postbox recipients read today. The page header repeats kind, version and date on
 * every page.
 */
public final class PlanPdf {

  private static final String TEMPLATE = "/careplan/plan.html";

  private final PlanHtml html = new PlanHtml();
  private final String template = load();

  public String page(Plan plan) {
    StringBuilder parts = new StringBuilder();
    for (PlanHtml.Part part : html.parts(plan)) {
      parts
          .append("<h2>")
          .append(PlanHtml.escape(part.title()))
          .append("</h2>")
          .append(part.body());
    }
    return template
        .replace("{{title}}", PlanHtml.escape(PlanHtml.title(plan)))
        .replace("{{header}}", PlanHtml.escape(PlanHtml.header(plan)))
        .replace("{{warnings}}", PlanHtml.warningBlock(plan))
        .replace("{{parts}}", parts)
        .replace(
            "{{footer}}",
            PlanHtml.escape(
                "Dannet af Sektorbro ud fra "
                    + plan.source()
                    + ". Version "
                    + plan.version()
                    + " erstatter alle tidligere versioner af planen."));
  }

  public byte[] pdf(Plan plan) {
    return render(page(plan));
  }

  static byte[] render(String xhtml) {
    try (ByteArrayOutputStream out = new ByteArrayOutputStream()) {
      PdfRendererBuilder builder = new PdfRendererBuilder();
      builder.useFastMode();
      builder.withHtmlContent(xhtml, null);
      builder.toStream(out);
      builder.run();
      return out.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException("plan PDF could not be rendered", e);
    }
  }

  private static String load() {
    try (InputStream in = PlanPdf.class.getResourceAsStream(TEMPLATE)) {
      if (in == null) {
        throw new IllegalStateException("template missing on the classpath: " + TEMPLATE);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
