package dk.sektorbro.gateway.admin;

import dk.sektorbro.gateway.admin.MessageViews.MessageEntry;
import dk.sektorbro.gateway.admin.MessageViews.MessagePage;
import dk.sektorbro.gateway.journal.Channel;
import dk.sektorbro.gateway.journal.Journal;
import dk.sektorbro.gateway.journal.JournalEntry;
import dk.sektorbro.gateway.journal.JournalQuery;
import dk.sektorbro.gateway.journal.MessageState;
import dk.sektorbro.gateway.platform.web.ApiException;
import dk.sektorbro.gateway.platform.web.ApiPaths;
import dk.sektorbro.gateway.platform.web.FilterDates;
import dk.sektorbro.gateway.platform.web.Refuses;
import java.security.Principal;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Read access to the journal: the message list with filters, and one entry with its history and
 * payloads.
 */
@RestController
@RequestMapping(ApiPaths.MESSAGES)
public class MessagesController {

  private static final int MAX_PAGE_SIZE = 200;

  private final Journal journal;
  private final MessageViews views;
  private final AuditLog audit;

  public MessagesController(Journal journal, MessageViews views, AuditLog audit) {
    this.journal = journal;
    this.views = views;
    this.audit = audit;
  }

  @Refuses(HttpStatus.BAD_REQUEST)
  @GetMapping
  public MessagePage list(
      @RequestParam(required = false) String state,
      @RequestParam(required = false) String source,
      @RequestParam(required = false) Channel channel,
      @RequestParam(required = false) String recipient,
      @RequestParam(required = false) String since,
      @RequestParam(defaultValue = "0") int page,
      @RequestParam(defaultValue = "50") int size) {
    MessageState stateFilter;
    OffsetDateTime sinceFilter;
    try {
      stateFilter =
          state == null || state.isBlank() ? null : MessageState.valueOf(state.toUpperCase());
    } catch (IllegalArgumentException e) {
      throw ApiException.badValue("messages.state", Arrays.toString(MessageState.values()));
    }
    try {
      sinceFilter = since == null || since.isBlank() ? null : FilterDates.instant(since);
    } catch (DateTimeParseException e) {
      throw ApiException.badValue("messages.since");
    }
    if (page < 0 || size < 1 || size > MAX_PAGE_SIZE) {
      throw ApiException.badValue("messages.page", String.valueOf(MAX_PAGE_SIZE));
    }
    JournalQuery query =
        new JournalQuery(
            stateFilter,
            blankToNull(source),
            channel,
            blankToNull(recipient),
            sinceFilter,
            page,
            size);
    return new MessagePage(
        page,
        size,
        journal.count(query),
        journal.search(query).stream().map(views::listed).toList());
  }

  @Refuses(HttpStatus.NOT_FOUND)
  @GetMapping("/{id}")
  public MessageEntry get(@PathVariable String id, Principal user) {
    JournalEntry entry =
        journal.find(id).orElseThrow(() -> ApiException.notFound("messages.not-found", id));
    // The answer carries the full personal data: an audited access, as in the console.
    audit.record(
        user == null ? "?" : user.getName(),
        AuditAction.VIEW_PERSONAL_DATA,
        id,
        null,
        "opened via api",
        null);
    return views.detail(entry);
  }

  private static String blankToNull(String value) {
    return value == null || value.isBlank() ? null : value;
  }
}
