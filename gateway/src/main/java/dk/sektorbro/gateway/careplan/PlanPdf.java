package dk.sektorbro.gateway.careplan;

import com.openhtmltopdf.outputdevice.helper.BaseRendererBuilder.FontStyle;
import com.openhtmltopdf.pdfboxout.PdfRendererBuilder;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.thymeleaf.TemplateEngine;
import org.thymeleaf.context.Context;
import org.thymeleaf.spring6.SpringTemplateEngine;
import org.thymeleaf.templatemode.TemplateMode;
import org.thymeleaf.templateresolver.ClassLoaderTemplateResolver;

/**
 * The plan as a full HTML page (Thymeleaf template {@code careplan/plan.html}) and as PDF
 * (openhtmltopdf, PDFBox): what postbox recipients read today. The page header repeats kind,
 * version and date on every page.
 */
public final class PlanPdf {

  // XML mode: openhtmltopdf reads XHTML, so the page must stay well-formed whatever the parts hold.
  private static final TemplateEngine PAGES = engine();

  /**
   * The page's font, embedded (as a subset) in every PDF. The PDF standard fonts know only
   * Windows-1252: a citizen named Łukasz, Gülşen or Ольга came out as "#ukasz". DejaVu Sans covers
   * Latin, Greek and Cyrillic (licence beside the files). Read from the jar once; parsed per PDF.
   */
  static final String FONT = "DejaVu Sans";

  private static final byte[] REGULAR = font("DejaVuSans.ttf");
  private static final byte[] BOLD = font("DejaVuSans-Bold.ttf");

  private final PlanHtml html = new PlanHtml();

  public String page(Plan plan) {
    Context page =
        new Context(
            null,
            Map.of(
                "title", PlanHtml.title(plan),
                "header", PlanHtml.header(plan),
                "warnings", PlanHtml.warnings(plan),
                "parts", html.parts(plan),
                "footer",
                    "Dannet af Sektorbro ud fra "
                        + plan.source()
                        + ". Version "
                        + plan.version()
                        + " erstatter alle tidligere versioner af planen."));
    return PAGES.process("plan", page);
  }

  public byte[] pdf(Plan plan) {
    return render(page(plan));
  }

  static byte[] render(String xhtml) {
    try (ByteArrayOutputStream out = new ByteArrayOutputStream()) {
      PdfRendererBuilder builder = new PdfRendererBuilder();
      builder.useFastMode();
      builder.useFont(() -> new ByteArrayInputStream(REGULAR), FONT, 400, FontStyle.NORMAL, true);
      builder.useFont(() -> new ByteArrayInputStream(BOLD), FONT, 700, FontStyle.NORMAL, true);
      builder.withHtmlContent(xhtml, null);
      builder.toStream(out);
      builder.run();
      return out.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException("plan PDF could not be rendered", e);
    }
  }

  private static byte[] font(String file) {
    try (InputStream in = PlanPdf.class.getResourceAsStream("/careplan/fonts/" + file)) {
      if (in == null) {
        throw new IllegalStateException("plan PDF font missing: " + file);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException("plan PDF font unreadable: " + file, e);
    }
  }

  private static TemplateEngine engine() {
    ClassLoaderTemplateResolver templates =
        new ClassLoaderTemplateResolver(PlanPdf.class.getClassLoader());
    templates.setPrefix("careplan/");
    templates.setSuffix(".html");
    templates.setTemplateMode(TemplateMode.XML);
    templates.setCharacterEncoding(StandardCharsets.UTF_8.name());
    templates.setCacheable(true);
    SpringTemplateEngine engine = new SpringTemplateEngine();
    engine.setTemplateResolver(templates);
    return engine;
  }
}
