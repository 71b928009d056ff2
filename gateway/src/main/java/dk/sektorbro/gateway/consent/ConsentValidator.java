package dk.sektorbro.gateway.consent;

import dk.sektorbro.gateway.consent.ConsentRecord.Grantor;
import dk.sektorbro.gateway.consent.ConsentRecord.GrantorType;
import dk.sektorbro.gateway.consent.ConsentRecord.Type;
import dk.sektorbro.gateway.platform.web.Issue;
import dk.sektorbro.gateway.record.Cpr;
import dk.sektorbro.gateway.record.LocationNumbers;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Turns a {@link ConsentInput} into a {@link ConsentRecord}, or names every rule it breaks. The
 * rules are the consent form's (domain.md §3): a purpose always, at most 1 year of validity (source
 * 001), known categories and recipients, the proxy's authority recorded.
 */
public final class ConsentValidator {

  /** Clock skew tolerated between the caller and the gateway for "not in the future". */
  private static final Duration SKEW = Duration.ofMinutes(5);

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
      issues.add(Issue.of("citizenCpr", "required", "the citizen's CPR number is required"));
    } else if (!Cpr.isValid(cpr)) {
      issues.add(
          Issue.of(
              "citizenCpr", "cpr", "not a valid CPR number (10 digits, the first 6 a valid date)"));
    }
    Type type = type(in.type(), issues);
    boolean consent = type == Type.CONSENT;
    Grantor grantor = grantor(in.givenBy(), issues);
    List<ConsentRecipient> recipients = recipients(in.recipients(), consent, issues);
    Set<InformationCategory> categories = categories(in.informationCategories(), consent, issues);
    Purpose purpose = purpose(in.purpose(), consent, issues);
    OffsetDateTime givenAt = dateTime("givenAt", in.givenAt(), true, issues);
    if (givenAt != null && givenAt.isAfter(now.plus(SKEW))) {
      issues.add(Issue.of("givenAt", "not-in-future", "a consent cannot be given in the future"));
    }
    OffsetDateTime validUntil = validUntil(in.validUntil(), givenAt, consent, issues);
    String collectedBy = required("collectedBy", in.collectedBy(), issues);
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
            blankToNull(in.witness()),
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

  private static ConsentRecord.Revocation revocation(
      ConsentInput.Revocation in, OffsetDateTime givenAt, OffsetDateTime now, List<Issue> issues) {
    if (in == null) {
      return null;
    }
    String by = required("revokedBy", in.revokedBy(), issues);
    OffsetDateTime at =
        in.revokedAt() == null ? now : dateTime("revokedAt", in.revokedAt(), true, issues);
    if (at != null && at.isAfter(now.plus(SKEW))) {
      issues.add(
          Issue.of(
              "revokedAt",
              "not-in-future",
              "a revocation takes effect when it is recorded, not later"));
    }
    if (at != null && givenAt != null && at.isBefore(givenAt)) {
      issues.add(
          Issue.of(
              "revokedAt", "after-given-at", "a consent cannot be revoked before it was given"));
    }
    return by == null || at == null
        ? null
        : new ConsentRecord.Revocation(at, by, blankToNull(in.note()));
  }

  private static Type type(String raw, List<Issue> issues) {
    if (raw == null || raw.equalsIgnoreCase("consent")) {
      return Type.CONSENT;
    }
    if (raw.equalsIgnoreCase("refusal")) {
      return Type.REFUSAL;
    }
    issues.add(Issue.of("type", "known-type", "type is 'consent' or 'refusal'"));
    return Type.CONSENT;
  }

  private static Grantor grantor(ConsentInput.GivenBy in, List<Issue> issues) {
    if (in == null || in.type() == null || in.type().equalsIgnoreCase("citizen")) {
      return new Grantor(GrantorType.CITIZEN, in == null ? null : blankToNull(in.name()), null);
    }
    if (!in.type().equalsIgnoreCase("proxy")) {
      issues.add(Issue.of("givenBy.type", "known-grantor", "givenBy.type is 'citizen' or 'proxy'"));
      return null;
    }
    // The sources have no proxy rule (domain.md §8.1): the least the gateway can do is record who
    // and by what right.
    String name = required("givenBy.name", in.name(), issues);
    String authority = blankToNull(in.authority());
    if (authority == null) {
      issues.add(
          Issue.of(
              "givenBy.authority",
              "proxy-authority",
              "a proxy's authority (e.g. guardianship, power of attorney) must be recorded"));
    }
    return new Grantor(GrantorType.PROXY, name, authority);
  }

  private static List<ConsentRecipient> recipients(
      List<ConsentInput.Recipient> in, boolean consent, List<Issue> issues) {
    if (in == null || in.isEmpty()) {
      issues.add(Issue.of("recipients", "required", "at least one recipient is required"));
      return List.of();
    }
    List<ConsentRecipient> recipients = new ArrayList<>();
    for (int i = 0; i < in.size(); i++) {
      String field = "recipients[" + i + "]";
      ConsentInput.Recipient r = in.get(i);
      RecipientKind kind = code(RecipientKind.class, field + ".kind", r.kind(), true, issues);
      String sor = blankToNull(r.sor());
      if (sor != null && !LocationNumbers.isWellFormedSor(sor)) {
        issues.add(Issue.of(field + ".sor", "sor-format", "a SOR code is 11 to 18 digits"));
      }
      if (kind != null && kind.sorRequired() && sor == null) {
        issues.add(
            Issue.of(
                field + ".sor",
                "recipient-sor-required",
                "recipient kind " + kind.code() + " must name its unit by SOR code"));
      }
      // "Own GP" without the practice would cover whichever practice a sender calls own GP. A
      // refusal may leave it open: it then stops every message to own GP.
      if (consent && kind == RecipientKind.OWN_GP && sor == null) {
        issues.add(
            Issue.of(
                field + ".sor",
                "own-gp-sor-required",
                "a consent to own GP must name the practice by SOR code"));
      }
      if (kind == RecipientKind.RELATIVE && blankToNull(r.name()) == null) {
        issues.add(Issue.of(field + ".name", "relative-name", "a relative must be named"));
      }
      recipients.add(
          new ConsentRecipient(
              kind,
              sor,
              blankToNull(r.name()),
              blankToNull(r.relation()),
              blankToNull(r.municipality())));
    }
    return recipients;
  }

  private static Set<InformationCategory> categories(
      List<String> in, boolean consent, List<Issue> issues) {
    Set<InformationCategory> categories = EnumSet.noneOf(InformationCategory.class);
    if (in == null || in.isEmpty()) {
      if (consent) {
        issues.add(
            Issue.of(
                "informationCategories",
                "required",
                "a consent must say which information may be shared"));
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

  private static Purpose purpose(String raw, boolean consent, List<Issue> issues) {
    if (raw == null || raw.isBlank()) {
      if (consent) {
        issues.add(
            Issue.of("purpose", "purpose-required", "the purpose is mandatory on a consent"));
      }
      return null;
    }
    return code(Purpose.class, "purpose", raw, true, issues);
  }

  private static OffsetDateTime validUntil(
      String raw, OffsetDateTime givenAt, boolean consent, List<Issue> issues) {
    OffsetDateTime until = dateTime("validUntil", raw, false, issues);
    if (givenAt == null) {
      return until;
    }
    if (until == null) {
      // A consent lasts the treatment course, at most one year: default to the maximum. A refusal
      // lasts until revoked.
      return consent && raw == null ? givenAt.plusYears(1) : null;
    }
    if (!until.isAfter(givenAt)) {
      issues.add(Issue.of("validUntil", "after-given-at", "validUntil must be after givenAt"));
    } else if (consent && until.isAfter(givenAt.plusYears(1))) {
      issues.add(
          Issue.of(
              "validUntil", "max-one-year", "a consent is valid at most 1 year after givenAt"));
    }
    return until;
  }

  private static <E extends Enum<E> & CodedValue> E code(
      Class<E> type, String field, String raw, boolean required, List<Issue> issues) {
    if (raw == null || raw.isBlank()) {
      if (required) {
        issues.add(Issue.of(field, "required", "a value is required"));
      }
      return null;
    }
    Optional<E> value = CodedValue.byCode(type, raw.strip().toLowerCase(Locale.ROOT));
    if (value.isEmpty()) {
      issues.add(
          Issue.of(
              field,
              "known-code",
              "not a code of the gateway's "
                  + type.getSimpleName()
                  + " code list (profiles/CodeSystem-sektorbro-*.json)"));
    }
    return value.orElse(null);
  }

  private static OffsetDateTime dateTime(
      String field, String raw, boolean required, List<Issue> issues) {
    if (raw == null || raw.isBlank()) {
      if (required) {
        issues.add(Issue.of(field, "required", "a value is required"));
      }
      return null;
    }
    try {
      return OffsetDateTime.parse(raw.strip());
    } catch (DateTimeParseException e) {
      issues.add(Issue.of(field, "date-time", "expected an ISO 8601 date-time with offset"));
      return null;
    }
  }

  private static String required(String field, String raw, List<Issue> issues) {
    String value = blankToNull(raw);
    if (value == null) {
      issues.add(Issue.of(field, "required", "a value is required"));
    }
    return value;
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s.strip();
  }
}
