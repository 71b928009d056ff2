package dk.sektorbro.gateway.consent;

import java.time.Duration;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * {@code gateway.consent.*}: how long a held message waits for a consent, how often expired holds
 * are swept, and overrides of the legal-basis rules by code (e.g. {@code
 * gateway.consent.rules.acute-danger.enabled=false}). An override replaces only the settings it
 * names; the rest keep their defaults from {@link DefaultLegalBases}. Codes in the lists are
 * checked at start: an unknown sender kind, recipient kind, purpose or category stops the
 * application. {@code sectors} says how the SOR registry places units (and senders) in sectors.
 */
@Validated
@ConfigurationProperties("gateway.consent")
public record ConsentProperties(
    @DefaultValue("14d") Duration holdExpiry,
    @DefaultValue("5m") Duration expirySweepInterval,
    Map<String, RuleSettings> rules,
    Sectors sectors) {

  public ConsentProperties {
    rules = rules == null ? Map.of() : Map.copyOf(rules);
    sectors = sectors == null ? new Sectors(null, null, null) : sectors;
  }

  /**
   * {@code gateway.consent.sectors.*}: which SOR institution types (SNOMED CT codes) and IE owner
   * types place a unit in which sector, and which sector each sender kind must be in. Entries add
   * to or override the defaults of {@link SectorRules}; sectors are hospital, practice,
   * municipality and home-nursing (a municipal unit confirmed as home nursing; no default).
   */
  public record Sectors(
      Map<String, Sector> institutionTypes,
      Map<String, Sector> ownerTypes,
      Map<String, Sector> senderKinds) {

    public Sectors {
      institutionTypes = institutionTypes == null ? Map.of() : Map.copyOf(institutionTypes);
      ownerTypes = ownerTypes == null ? Map.of() : Map.copyOf(ownerTypes);
      senderKinds = senderKinds == null ? Map.of() : Map.copyOf(senderKinds);
    }
  }

  /** The registry's sector rules: defaults with this configuration's entries. */
  public SectorRules sectorRules() {
    return SectorRules.of(sectors);
  }

  /** One rule's overrides; null means "keep the default". */
  public record RuleSettings(
      Boolean enabled,
      List<String> senderKinds,
      List<String> purposes,
      List<String> categories,
      List<String> recipientKinds,
      List<String> messageCategories,
      Boolean refusable,
      Boolean justificationRequired,
      Boolean planRequired) {}

  /** The defaults with this configuration's overrides applied; an unknown rule code is an error. */
  public Map<LegalBasis, LegalBasisRule> legalBasisRules() {
    Map<LegalBasis, LegalBasisRule> merged = new EnumMap<>(DefaultLegalBases.rules());
    rules.forEach(
        (code, settings) -> {
          LegalBasis basis =
              CodedValue.byCode(LegalBasis.class, code)
                  .orElseThrow(
                      () ->
                          new IllegalArgumentException(
                              "gateway.consent.rules." + code + ": unknown legal basis"));
          merged.put(basis, apply(merged.get(basis), settings));
          String at = "gateway.consent.rules." + code + ".";
          known(at + "sender-kinds", settings.senderKinds(), SenderKind.class);
          known(at + "recipient-kinds", settings.recipientKinds(), RecipientKind.class);
          known(at + "purposes", settings.purposes(), Purpose.class);
          known(at + "categories", settings.categories(), InformationCategory.class);
        });
    return merged;
  }

  private static <E extends Enum<E> & CodedValue> void known(
      String property, List<String> codes, Class<E> type) {
    if (codes == null) {
      return;
    }
    for (String code : codes) {
      if (!LegalBasisRule.ANY.equals(code) && CodedValue.byCode(type, code).isEmpty()) {
        throw new IllegalArgumentException(property + ": unknown code " + code);
      }
    }
  }

  private static LegalBasisRule apply(LegalBasisRule d, RuleSettings s) {
    return new LegalBasisRule(
        d.basis(),
        s.enabled() == null ? d.enabled() : s.enabled(),
        or(s.senderKinds(), d.senderKinds()),
        or(s.purposes(), d.purposes()),
        or(s.categories(), d.categories()),
        or(s.recipientKinds(), d.recipientKinds()),
        or(s.messageCategories(), d.messageCategories()),
        s.refusable() == null ? d.refusable() : s.refusable(),
        s.justificationRequired() == null ? d.justificationRequired() : s.justificationRequired(),
        s.planRequired() == null ? d.planRequired() : s.planRequired());
  }

  private static Set<String> or(List<String> configured, Set<String> fallback) {
    return configured == null ? fallback : new HashSet<>(configured);
  }
}
