package dk.sektorbro.gateway.careplan;

import com.openhtmltopdf.pdfboxout.PdfRendererBuilder;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
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
      builder.withHtmlContent(xhtml, null);
      builder.toStream(out);
      builder.run();
      return out.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException("plan PDF could not be rendered", e);
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
