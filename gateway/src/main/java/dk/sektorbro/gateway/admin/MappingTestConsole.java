package dk.sektorbro.gateway.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dk.sektorbro.gateway.mapping.MappingDefinition;
import dk.sektorbro.gateway.mapping.MappingRegistry;
import dk.sektorbro.gateway.mapping.RecordFormat;
import dk.sektorbro.gateway.pipeline.DryRun;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;
import org.springframework.context.MessageSource;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * The console's "Try a mapping" page: the dry run of {@code POST /api/v1/mappings/{source}/$test}
 * as a form (ADMIN posts; the page itself is the console's). Nothing is journaled or sent.
 */
@Controller
public class MappingTestConsole {

  private final MappingRegistry mappings;
  private final DryRun dryRun;
  private final ObjectMapper json;
  private final MessageSource messages;

  public MappingTestConsole(
      MappingRegistry mappings, DryRun dryRun, ObjectMapper json, MessageSource messages) {
    this.mappings = mappings;
    this.messages = messages;
    this.dryRun = dryRun;
    this.json = json;
  }

  @GetMapping("/admin/mapping-test")
  public String form(Model model) {
    model.addAttribute(
        "sources", mappings.all().stream().map(MappingDefinition::source).sorted().toList());
    return "admin/mapping-test";
  }

  @PostMapping("/admin/mapping-test")
  public String test(@RequestParam String source, @RequestParam String record, Model model)
      throws JsonProcessingException {
    form(model);
    model.addAttribute("source", source);
    model.addAttribute("record", record);
    Optional<MappingDefinition> mapping = mappings.find(source);
    if (mapping.isEmpty()) {
      model.addAttribute(
          "error",
          messages.getMessage(
              "console.mapping-test.no-source", new Object[] {source}, Locale.ROOT));
      return "admin/mapping-test";
    }
    String contentType =
        mapping.get().format() == RecordFormat.XML ? "application/xml" : "application/json";
    DryRun.Result result =
        dryRun.run(mapping.get(), record.getBytes(StandardCharsets.UTF_8), contentType);
    model.addAttribute("result", result);
    model.addAttribute(
        "canonical",
        result.canonicalRecord() != null
            ? json.writerWithDefaultPrettyPrinter().writeValueAsString(result.canonicalRecord())
            : null);
    model.addAttribute(
        "gatesJson", json.writerWithDefaultPrettyPrinter().writeValueAsString(result.gates()));
    return "admin/mapping-test";
  }
}
