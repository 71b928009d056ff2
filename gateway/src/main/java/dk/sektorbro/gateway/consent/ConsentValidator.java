package dk.sektorbro.gateway.consent;

import dk.sektorbro.gateway.consent.ConsentRecord.Grantor;
import dk.sektorbro.gateway.consent.ConsentRecord.GrantorType;
import dk.sektorbro.gateway.consent.ConsentRecord.Type;
import dk.sektorbro.gateway.platform.web.Issue;
import dk.sektorbro.gateway.platform.web.MessageBundle;
import dk.sektorbro.gateway.record.Cpr;
import dk.sektorbro.gateway.record.LocationNumbers;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.springframework.context.MessageSource;
import org.springframework.context.support.MessageSourceAccessor;

/**
 * Turns a {@link ConsentInput} into a {@link ConsentRecord}, or names every rule it breaks. The
 * rules are the consent form's (domain.md §3): a purpose always, at most 1 year of validity (source
 * 001), known categories and recipients, the proxy's authority recorded.
 */
public final class ConsentValidator {

  private static final ZoneId DANISH_TIME = ZoneId.of("Europe/Copenhagen");

  /** Clock skew tolerated between the caller and the gateway for "not in the future". */
  private static final Duration SKEW = Duration.ofMinutes(5);

  /** The issues' texts: {@code consent.issue.*} in the message bundle (messages.properties). */
  private final MessageSourceAccessor texts;

  /** With the API's message bundle. */
  public ConsentValidator(MessageSource messages) {
    this.texts = new MessageSourceAccessor(messages, Locale.ROOT);
  }

  private static final int NAME = 300;
  private static final int SHORT = 100;
  private static final int AUTHORITY = 1000;
  private static final int NOTE = 4000;

  /** With messages.properties read directly, for use outside the application context. */
  public ConsentValidator() {
    this(MessageBundle.standalone());
  }

  /** A broken rule, its text {@code consent.issue.<text>} filled with {@code arguments}. */
  private Issue issue(String field, String rule, String text, Object... arguments) {
    return Issue.of(field, rule, texts.getMessage("consent.issue." + text, arguments));
  }

  /** Either the record or the issues; never both. */
  public record Result(ConsentRecord record, List<Issue> issues) {
    public boolean valid() {
      return issues.isEmpty();
    }
  }

  public Result validate(ConsentInput in, String id, OffsetDateTime now) {
    List<Issue> issues = new ArrayList<>();
    String cpr = Cpr.normalise(in.citizenCpr());
    if (cpr == null || cpr.isEmpty()) {
      issues.add(issue("citizenCpr", "required", "cpr-required"));
    } else if (!Cpr.isValid(cpr)) {
      issues.add(issue("citizenCpr", "cpr", "cpr"));
    }
    Type type = type(in.type(), issues);
    boolean consent = type == Type.CONSENT;
    Grantor grantor = grantor(in.givenBy(), issues);
    List<ConsentRecipient> recipients = recipients(in.recipients(), consent, issues);
    Set<InformationCategory> categories = categories(in.informationCategories(), consent, issues);
    Purpose purpose = purpose(in.purpose(), consent, issues);
    OffsetDateTime givenAt = dateTime("givenAt", in.givenAt(), true, issues);
    if (givenAt != null && givenAt.isAfter(now.plus(SKEW))) {
      issues.add(issue("givenAt", "not-in-future", "given-in-future"));
    }
    OffsetDateTime validUntil = validUntil(in.validUntil(), givenAt, consent, issues);
    String collectedBy =
        limited("collectedBy", required("collectedBy", in.collectedBy(), issues), NAME, issues);
    String witness = limited("witness", blankToNull(in.witness()), NAME, issues);
    ConsentForm form = code(ConsentForm.class, "form", in.form(), true, issues);
    ConsentRecord.Revocation revocation = revocation(in.revocation(), givenAt, now, issues);
    if (!issues.isEmpty()) {
      return new Result(null, List.copyOf(issues));
    }
    return new Result(
        new ConsentRecord(
            id,
            cpr,
            type,
            grantor,
            recipients,
            categories,
            purpose,
            givenAt,
            validUntil,
            collectedBy,
            witness,
            form,
            now,
            revocation),
        List.of());
  }

  /** Validates a revocation of a consent given at {@code givenAt}. */
  public Result revocation(ConsentRecord consent, ConsentInput.Revocation in, OffsetDateTime now) {
    List<Issue> issues = new ArrayList<>();
    ConsentRecord.Revocation revocation =
        revocation(
            in == null ? new ConsentInput.Revocation(null, null, null) : in,
            consent.givenAt(),
            now,
            issues);
    return issues.isEmpty()
        ? new Result(consent.revoked(revocation), List.of())
        : new Result(null, List.copyOf(issues));
  }

  private ConsentRecord.Revocation revocation(
      ConsentInput.Revocation in, OffsetDateTime givenAt, OffsetDateTime now, List<Issue> issues) {
    if (in == null) {
      return null;
    }
    String by = limited("revokedBy", required("revokedBy", in.revokedBy(), issues), NAME, issues);
    String note = limited("note", blankToNull(in.note()), NOTE, issues);
    OffsetDateTime at =
        in.revokedAt() == null ? now : dateTime("revokedAt", in.revokedAt(), true, issues);
    if (at != null && at.isAfter(now.plus(SKEW))) {
      issues.add(issue("revokedAt", "not-in-future", "revoked-in-future"));
    } else if (at != null && at.isAfter(now)) {
      // Within the tolerated skew, a caller's clock running fast: "no further disclosure" (source
      // 001) holds from the moment the gateway knows of the revocation, not minutes later.
      at = givenAt != null && now.isBefore(givenAt) ? givenAt : now;
    }
    if (at != null && givenAt != null && at.isBefore(givenAt)) {
      issues.add(issue("revokedAt", "after-given-at", "revoked-before-given"));
    }
    return by == null || at == null ? null : new ConsentRecord.Revocation(at, by, note);
  }

  private Type type(String raw, List<Issue> issues) {
    if (raw == null || raw.equalsIgnoreCase("consent")) {
      return Type.CONSENT;
    }
    if (raw.equalsIgnoreCase("refusal")) {
      return Type.REFUSAL;
    }
    issues.add(issue("type", "known-type", "type"));
    return Type.CONSENT;
  }

  private Grantor grantor(ConsentInput.GivenBy in, List<Issue> issues) {
    if (in == null || in.type() == null || in.type().equalsIgnoreCase("citizen")) {
      return new Grantor(
          GrantorType.CITIZEN,
          in == null ? null : limited("givenBy.name", blankToNull(in.name()), NAME, issues),
          null);
    }
    if (!in.type().equalsIgnoreCase("proxy")) {
      issues.add(issue("givenBy.type", "known-grantor", "grantor"));
      return null;
    }
    // The sources have no proxy rule (domain.md §8.1): the least the gateway can do is record who
    // and by what right.
    String name =
        limited("givenBy.name", required("givenBy.name", in.name(), issues), NAME, issues);
    String authority = limited("givenBy.authority", blankToNull(in.authority()), AUTHORITY, issues);
    if (authority == null) {
      issues.add(issue("givenBy.authority", "proxy-authority", "proxy-authority"));
    }
    return new Grantor(GrantorType.PROXY, name, authority);
  }

  private List<ConsentRecipient> recipients(
      List<ConsentInput.Recipient> in, boolean consent, List<Issue> issues) {
    if (in == null || in.isEmpty()) {
      issues.add(issue("recipients", "required", "recipients-required"));
      return List.of();
    }
    List<ConsentRecipient> recipients = new ArrayList<>();
    for (int i = 0; i < in.size(); i++) {
      String field = "recipients[" + i + "]";
      ConsentInput.Recipient r = in.get(i);
      RecipientKind kind = code(RecipientKind.class, field + ".kind", r.kind(), true, issues);
      String sor = blankToNull(r.sor());
      if (sor != null && !LocationNumbers.isWellFormedSor(sor)) {
        issues.add(issue(field + ".sor", "sor-format", "sor-format"));
      }
      if (kind != null && kind.sorRequired() && sor == null) {
        issues.add(
            issue(field + ".sor", "recipient-sor-required", "recipient-sor-required", kind.code()));
      }
      // "Own GP" without the practice would cover whichever practice a sender calls own GP. A
      // refusal may leave it open: it then stops every message to own GP.
      if (consent && kind == RecipientKind.OWN_GP && sor == null) {
        issues.add(issue(field + ".sor", "own-gp-sor-required", "own-gp-sor-required"));
      }
      if (kind == RecipientKind.RELATIVE && blankToNull(r.name()) == null) {
        issues.add(issue(field + ".name", "relative-name", "relative-name"));
      }
      // A relative is matched by name: a SOR code would make the consent cover that unit.
      if (kind == RecipientKind.RELATIVE && sor != null) {
        issues.add(issue(field + ".sor", "relative-no-sor", "relative-no-sor"));
      }
      recipients.add(
          new ConsentRecipient(
              kind,
              sor,
              limited(field + ".name", blankToNull(r.name()), NAME, issues),
              limited(field + ".relation", blankToNull(r.relation()), SHORT, issues),
              limited(field + ".municipality", blankToNull(r.municipality()), SHORT, issues)));
    }
    return recipients;
  }

  private Set<InformationCategory> categories(
      List<String> in, boolean consent, List<Issue> issues) {
    Set<InformationCategory> categories = EnumSet.noneOf(InformationCategory.class);
    if (in == null || in.isEmpty()) {
      if (consent) {
        issues.add(issue("informationCategories", "required", "categories-required"));
      }
      return categories;
    }
    for (int i = 0; i < in.size(); i++) {
      InformationCategory c =
          code(
              InformationCategory.class,
              "informationCategories[" + i + "]",
              in.get(i),
              true,
              issues);
      if (c != null) {
        categories.add(c);
      }
    }
    return categories;
  }

  private Purpose purpose(String raw, boolean consent, List<Issue> issues) {
    if (raw == null || raw.isBlank()) {
      if (consent) {
        issues.add(issue("purpose", "purpose-required", "purpose-required"));
      }
      return null;
    }
    return code(Purpose.class, "purpose", raw, true, issues);
  }

  private OffsetDateTime validUntil(
      String raw, OffsetDateTime givenAt, boolean consent, List<Issue> issues) {
    OffsetDateTime until = dateTime("validUntil", raw, false, issues);
    if (givenAt == null) {
      return until;
    }
    // One year by the Danish calendar and by the given time's offset, whichever ends first: given
    // at 10:00 Danish time, valid through 10:00 Danish time a year later also when summer time
    // starts or ends on another day that year (the offset alone made it an hour more), and never
    // past "start + 1 year" as the FHIR profile (sbc-3) reads it.
    OffsetDateTime danishYear =
        givenAt.atZoneSameInstant(DANISH_TIME).plusYears(1).toOffsetDateTime();
    OffsetDateTime offsetYear = givenAt.plusYears(1);
    OffsetDateTime oneYear = danishYear.isBefore(offsetYear) ? danishYear : offsetYear;
    if (until == null) {
      // A consent lasts the treatment course, at most one year: default to the maximum. A refusal
      // lasts until revoked.
      // Blank is absent: a consent without an end would never lapse (and the database refuses it).
      return consent && (raw == null || raw.isBlank()) ? oneYear : null;
    }
    if (!until.isAfter(givenAt)) {
      issues.add(issue("validUntil", "after-given-at", "valid-until-after-given"));
    } else if (consent && until.isAfter(oneYear)) {
      issues.add(issue("validUntil", "max-one-year", "max-one-year"));
    }
    return until;
  }

  private <E extends Enum<E> & CodedValue> E code(
      Class<E> type, String field, String raw, boolean required, List<Issue> issues) {
    if (raw == null || raw.isBlank()) {
      if (required) {
        issues.add(issue(field, "required", "required"));
      }
      return null;
    }
    Optional<E> value = CodedValue.byCode(type, raw.strip().toLowerCase(Locale.ROOT));
    if (value.isEmpty()) {
      issues.add(issue(field, "known-code", "known-code", type.getSimpleName()));
    }
    return value.orElse(null);
  }

  private OffsetDateTime dateTime(String field, String raw, boolean required, List<Issue> issues) {
    if (raw == null || raw.isBlank()) {
      if (required) {
        issues.add(issue(field, "required", "required"));
      }
      return null;
    }
    try {
      return OffsetDateTime.parse(raw.strip());
    } catch (DateTimeParseException e) {
      issues.add(issue(field, "date-time", "date-time"));
      return null;
    }
  }

  private String required(String field, String raw, List<Issue> issues) {
    String value = blankToNull(raw);
    if (value == null) {
      issues.add(issue(field, "required", "required"));
    }
    return value;
  }

  // The registry's columns (V2__consent.sql) hold this many characters; a longer text is the
  // caller's to shorten, named by its field, not a database error.
  private String limited(String field, String value, int max, List<Issue> issues) {
    if (value != null && value.codePointCount(0, value.length()) > max) {
      issues.add(issue(field, "max-length", "max-length", max));
    }
    return value;
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s.strip();
  }
}
