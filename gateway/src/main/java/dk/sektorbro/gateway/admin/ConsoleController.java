package dk.sektorbro.gateway.admin;

import dk.sektorbro.gateway.consent.DisclosureFollowUp;
import dk.sektorbro.gateway.consent.LegalBasis;
import dk.sektorbro.gateway.consent.Purpose;
import dk.sektorbro.gateway.journal.JournalQuery;
import dk.sektorbro.gateway.journal.MessageState;
import dk.sektorbro.gateway.platform.RouteIds;
import dk.sektorbro.gateway.platform.web.FilterDates;
import dk.sektorbro.gateway.record.Cpr;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.security.Principal;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;
import org.springframework.context.MessageSource;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * The admin console's pages (server-rendered, no script). Actions post a form, are done by {@link
 * AdminActions} or {@link RouteControl} and redirect back with a notice (post/redirect/get).
 */
@Controller
public class ConsoleController {

  private static final int PAGE_SIZE = 25;

  /** The list's filters a posted filter form carries on to the list (the CPR number as handle). */
  private static final java.util.Set<String> FILTERS =
      java.util.Set.of("state", "source", "recipient", "messageType", "from", "to", "reason");

  private final DashboardService dashboard;
  private final AdminQueries queries;
  private final MessageDetail details;
  private final AdminActions actions;
  private final RouteControl routes;
  private final AuditLog audit;

  private final DisclosureFollowUp followUp;
  private final MessageSource messages;

  public ConsoleController(
      DashboardService dashboard,
      AdminQueries queries,
      MessageDetail details,
      AdminActions actions,
      RouteControl routes,
      AuditLog audit,
      DisclosureFollowUp followUp,
      MessageSource messages) {
    this.followUp = followUp;
    this.messages = messages;
    this.dashboard = dashboard;
    this.queries = queries;
    this.details = details;
    this.actions = actions;
    this.routes = routes;
    this.audit = audit;
  }

  @GetMapping("/login")
  public String login() {
    return "admin/login";
  }

  @GetMapping({"/admin", "/admin/"})
  public String dashboard(HttpServletRequest request, Model model) {
    if (!request.isUserInRole("OPERATOR") && !request.isUserInRole("ADMIN")) {
      return request.isUserInRole("AUDITOR") ? "redirect:/admin/audit" : "redirect:/admin/denied";
    }
    model.addAttribute("d", dashboard.read());
    model.addAttribute("states", MessageState.values());
    model.addAttribute("lateRevocations", followUp.lateRevocationCount());
    return "admin/dashboard";
  }

  @GetMapping("/admin/denied")
  public String denied(HttpServletResponse response) {
    response.setStatus(HttpServletResponse.SC_FORBIDDEN);
    return "admin/denied";
  }

  /**
   * The filter form, posted so that a CPR number typed into it is never in a URL (the browser's
   * history, a proxy's access log): the number is kept in the session under a random handle, the
   * look-up audited with the citizen, and the list shown at {@code
   * /admin/messages?citizen=<handle>} with the other filters (post/redirect/get, so paging and the
   * back button work).
   */
  @PostMapping("/admin/messages/filter")
  public String filterMessages(
      @RequestParam Map<String, String> params, HttpSession session, Principal user) {
    UriComponentsBuilder list = UriComponentsBuilder.fromPath("/admin/messages");
    params.forEach(
        (k, v) -> {
          if (FILTERS.contains(k) && v != null && !v.isBlank()) {
            list.queryParam(k, v.strip());
          }
        });
    String cpr = Cpr.normalise(value(params, "cpr"));
    if (cpr != null) {
      list.queryParam("citizen", CitizenFilters.of(session).handleFor(cpr));
      if (Cpr.isValid(cpr)) {
        lookedUp(user, cpr);
      }
    }
    return "redirect:" + list.encode().build().toUriString();
  }

  @GetMapping("/admin/messages")
  public String messages(
      @RequestParam Map<String, String> params, HttpSession session, Principal user, Model model) {
    String error = null;
    JournalQuery filter;
    // The citizen of a posted filter, by its handle; a stale handle (another session) is no filter
    // the list can apply.
    params = new LinkedHashMap<>(params);
    String handle = params.get("citizen");
    if (handle != null) {
      String cpr = CitizenFilters.of(session).cprOf(handle);
      params.put("cpr", cpr == null ? "0" : cpr);
    } else if (Cpr.isValid(Cpr.normalise(value(params, "cpr")))) {
      // A bookmarked or hand-made ?cpr= (the form posts): a look-up of the citizen all the same.
      lookedUp(user, Cpr.normalise(value(params, "cpr")));
    }
    try {
      filter = filter(params);
    } catch (IllegalArgumentException | DateTimeParseException e) {
      error = text("console.messages.filter");
      filter = JournalQuery.inState(null, 0, PAGE_SIZE);
    }
    long total = queries.count(filter);
    model.addAttribute("rows", queries.messages(filter));
    model.addAttribute("total", total);
    model.addAttribute("page", filter.page());
    model.addAttribute("pages", Math.max(1, (total + PAGE_SIZE - 1) / PAGE_SIZE));
    Map<String, String> shown = new LinkedHashMap<>(params);
    // The form shows the citizen masked, as the list does; the handle keeps the filter.
    shown.computeIfPresent("cpr", (k, v) -> handle == null ? v : Cpr.mask(v));
    model.addAttribute("f", shown);
    model.addAttribute("states", MessageState.values());
    model.addAttribute("sources", queries.sources());
    model.addAttribute("error", error);
    model.addAttribute("prev", filter.page() > 0 ? pageUrl(params, filter.page() - 1) : null);
    model.addAttribute(
        "next",
        (long) (filter.page() + 1) * PAGE_SIZE < total ? pageUrl(params, filter.page() + 1) : null);
    return "admin/messages";
  }

  @GetMapping("/admin/messages/{id}")
  public String message(
      @PathVariable String id,
      @RequestParam(defaultValue = "false") boolean personal,
      Principal user,
      Model model,
      HttpServletResponse response) {
    try {
      if (personal) {
        actions.viewedPersonalData(user.getName(), id, "console");
      }
      model.addAttribute("m", details.view(id, personal));
    } catch (ActionRefused e) {
      response.setStatus(e.status().value());
      model.addAttribute("message", text(e));
      return "admin/denied";
    }
    model.addAttribute("personal", personal);
    model.addAttribute("editable", AdminActions.EDITABLE_FIELDS);
    model.addAttribute("legalBases", LegalBasis.values());
    model.addAttribute("purposes", Purpose.values());
    model.addAttribute("audit", audit.list(id, 0, 50));
    return "admin/message";
  }

  @PostMapping("/admin/messages/{id}/retry")
  public String retry(
      @PathVariable String id,
      @RequestParam(required = false) String comment,
      Principal user,
      RedirectAttributes flash) {
    return act(flash, id, () -> retried(actions.retry(user.getName(), id, comment)));
  }

  private String retried(MessageState at) {
    return at == MessageState.RETRYING
        ? text("console.retry.queued")
        : text("console.retry.pipeline", String.valueOf(at));
  }

  @PostMapping("/admin/messages/{id}/resend")
  public String resend(
      @PathVariable String id,
      @RequestParam(required = false) String comment,
      Principal user,
      RedirectAttributes flash) {
    return act(
        flash,
        id,
        () -> {
          actions.resend(user.getName(), id, comment);
          return text("console.resend");
        });
  }

  @PostMapping("/admin/messages/{id}/edit")
  public String edit(
      @PathVariable String id,
      @RequestParam Map<String, String> params,
      Principal user,
      RedirectAttributes flash) {
    Map<String, String> changes = new LinkedHashMap<>();
    for (String field : AdminActions.EDITABLE_FIELDS) {
      String value = params.get(field);
      if (value != null && !value.isBlank()) {
        changes.put(field, value);
      }
    }
    return act(
        flash,
        id,
        () -> {
          actions.editAndRetry(user.getName(), id, changes, params.get("comment"));
          return text("console.edit");
        });
  }

  @PostMapping("/admin/messages/{id}/discard")
  public String discard(
      @PathVariable String id,
      @RequestParam(required = false) String reason,
      Principal user,
      RedirectAttributes flash) {
    return act(
        flash,
        id,
        () -> {
          actions.discard(user.getName(), id, reason);
          return text("console.discard");
        });
  }

  @PostMapping("/admin/messages/{id}/release")
  public String release(
      @PathVariable String id,
      @RequestParam(required = false) String legalBasis,
      @RequestParam(required = false) String justification,
      @RequestParam(required = false) String purpose,
      @RequestParam(required = false) String planReference,
      Principal user,
      RedirectAttributes flash) {
    return act(
        flash,
        id,
        () -> {
          MessageState to =
              actions.release(
                  user.getName(),
                  id,
                  new AdminActions.ConsentRelease(legalBasis, purpose, planReference),
                  justification);
          return to == MessageState.VALIDATED
              ? text("console.release.delivery")
              : text("console.release.gates");
        });
  }

  @PostMapping("/admin/messages/retry-failed")
  public String retryFailed(
      @RequestParam(required = false) String stage,
      @RequestParam(required = false) String reasonContains,
      @RequestParam(required = false) String comment,
      Principal user,
      RedirectAttributes flash) {
    try {
      AdminActions.BulkResult result =
          actions.retryFailed(user.getName(), stage, reasonContains, comment);
      flash.addFlashAttribute(
          "notice",
          text(
              "console.retry-failed",
              String.valueOf(result.retried().size()),
              String.valueOf(result.skipped().size())));
    } catch (ActionRefused e) {
      flash.addFlashAttribute("error", text(e));
    }
    return "redirect:/admin/messages?state=FAILED";
  }

  @GetMapping("/admin/routes")
  public String routes(Model model) {
    model.addAttribute("routes", routes.routes());
    model.addAttribute("stages", RouteIds.STAGES);
    return "admin/routes";
  }

  @PostMapping("/admin/routes/{routeId}/{action:suspend|resume}")
  public String route(
      @PathVariable String routeId,
      @PathVariable String action,
      @RequestParam(required = false) String reason,
      Principal user,
      RedirectAttributes flash) {
    try {
      if (action.equals("suspend")) {
        routes.suspend(user.getName(), routeId, reason);
      } else {
        routes.resume(user.getName(), routeId, reason);
      }
      flash.addFlashAttribute("notice", text("console.route." + action, routeId));
    } catch (ActionRefused e) {
      flash.addFlashAttribute("error", text(e));
    }
    return "redirect:/admin/routes";
  }

  @GetMapping("/admin/audit")
  public String audit(@RequestParam(defaultValue = "0") int page, Model model) {
    int current = Math.max(0, page);
    long total = audit.count();
    model.addAttribute("entries", audit.list(null, current, 50));
    model.addAttribute("total", total);
    model.addAttribute("page", current);
    model.addAttribute("hasNext", (long) (current + 1) * 50 < total);
    return "admin/audit";
  }

  private String act(RedirectAttributes flash, String id, Supplier<String> action) {
    try {
      flash.addFlashAttribute("notice", action.get());
    } catch (ActionRefused e) {
      flash.addFlashAttribute("error", text(e));
    }
    return "redirect:/admin/messages/" + id;
  }

  /**
   * The list's filters from the form: {@code recipient} also matches part of the name, {@code cpr}
   * with or without the hyphen, dates are inclusive days in the gateway's time zone.
   */
  private JournalQuery filter(Map<String, String> p) {
    String state = value(p, "state");
    String from = value(p, "from");
    String to = value(p, "to");
    String page = value(p, "page");
    return new JournalQuery(
        state == null ? null : MessageState.valueOf(state),
        value(p, "source"),
        null,
        null,
        value(p, "recipient"),
        value(p, "messageType"),
        from == null ? null : JournalQuery.startOf(FilterDates.day(from), queries.zone()),
        to == null ? null : JournalQuery.startOf(FilterDates.day(to).plusDays(1), queries.zone()),
        value(p, "reason"),
        Cpr.normalise(value(p, "cpr")),
        page == null ? 0 : Math.max(0, Integer.parseInt(page)),
        PAGE_SIZE);
  }

  // The message list filtered by a citizen: which messages concern them is personal data.
  private void lookedUp(Principal user, String cpr) {
    audit.record(
        user.getName(),
        AuditAction.VIEW_PERSONAL_DATA,
        null,
        null,
        "message list filtered by citizen (console)",
        null,
        null,
        cpr);
  }

  private static String value(Map<String, String> p, String name) {
    String v = p.get(name);
    return v == null || v.isBlank() ? null : v.strip();
  }

  private static String pageUrl(Map<String, String> params, int page) {
    UriComponentsBuilder b = UriComponentsBuilder.fromPath("/admin/messages");
    params.forEach(
        (k, v) -> {
          if (!k.equals("page")
              && !(k.equals("cpr") && params.containsKey("citizen"))
              && v != null
              && !v.isBlank()) {
            b.queryParam(k, v);
          }
        });
    return b.queryParam("page", page).encode().build().toUriString();
  }

  /** For templates: the stages a bulk retry can name. */
  public static List<String> stages() {
    return RouteIds.STAGES;
  }

  /** A refusal's text from the message bundle, as the API answers it. */
  private String text(ActionRefused e) {
    return messages.getMessage(e, Locale.ROOT);
  }

  /** A notice's text: {@code key} in the message bundle, filled with {@code arguments}. */
  private String text(String key, Object... arguments) {
    return messages.getMessage(key, arguments, Locale.ROOT);
  }
}
