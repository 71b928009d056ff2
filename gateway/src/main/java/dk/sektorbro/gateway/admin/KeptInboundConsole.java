package dk.sektorbro.gateway.admin;

import dk.sektorbro.gateway.inbound.InboundMessages;
import java.security.Principal;
import java.util.Locale;
import java.util.function.Supplier;
import org.springframework.context.MessageSource;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * The console's page of received messages kept from their municipal system (OPERATOR and ADMIN see
 * it: ids, sender, system and reason, never content or citizen); an ADMIN releases or discards one
 * (POST /admin/** is ADMIN's).
 */
@Controller
public class KeptInboundConsole {

  private static final int SHOWN = 200;

  private final InboundMessages inbound;
  private final KeptInboundActions actions;
  private final MessageSource messages;

  public KeptInboundConsole(
      InboundMessages inbound, KeptInboundActions actions, MessageSource messages) {
    this.inbound = inbound;
    this.actions = actions;
    this.messages = messages;
  }

  @GetMapping("/admin/inbound")
  public String kept(Model model) {
    model.addAttribute("kept", inbound.recent("KEPT", SHOWN));
    return "admin/inbound";
  }

  @PostMapping("/admin/inbound/{id}/release")
  public String release(
      @PathVariable String id,
      @RequestParam(required = false) String comment,
      Principal user,
      RedirectAttributes flash) {
    return act(
        flash,
        () ->
            messages.getMessage(
                "console.inbound.released",
                new Object[] {id, actions.release(user.getName(), id, comment)},
                Locale.ROOT));
  }

  @PostMapping("/admin/inbound/{id}/discard")
  public String discard(
      @PathVariable String id,
      @RequestParam(required = false) String reason,
      Principal user,
      RedirectAttributes flash) {
    return act(
        flash,
        () -> {
          actions.discard(user.getName(), id, reason);
          return messages.getMessage("console.inbound.discarded", new Object[] {id}, Locale.ROOT);
        });
  }

  private String act(RedirectAttributes flash, Supplier<String> action) {
    try {
      flash.addFlashAttribute("notice", action.get());
    } catch (ActionRefused e) {
      flash.addFlashAttribute("error", messages.getMessage(e, Locale.ROOT));
    }
    return "redirect:/admin/inbound";
  }
}
