package dk.sektorbro.gateway.consent;

import dk.sektorbro.gateway.addressing.RegistrySnapshot;
import dk.sektorbro.gateway.addressing.RegistryUnit;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * How the SOR registry places a unit in a {@link Sector}, and which sector each sender kind must be
 * in: the registry's check on what a mapping declares about its sender (and a record about its
 * recipient). Defaults as in Danish SOR; an installation adds or overrides entries with {@code
 * gateway.consent.sectors.*} (docs/consent.md). Pure, unit-tested without Spring.
 */
public final class SectorRules {

  /** SNOMED CT "hospital" and "general practice premises" as SOR's institution type. */
  public static final Map<String, Sector> DEFAULT_INSTITUTION_TYPES =
      Map.of("22232009", Sector.HOSPITAL, "394761003", Sector.PRACTICE);

  /** The owner type on the IE (institution owner): a municipality or a region owns its units. */
  public static final Map<String, Sector> DEFAULT_OWNER_TYPES =
      Map.of("kommune", Sector.MUNICIPALITY, "region", Sector.HOSPITAL);

  private final Map<String, Sector> institutionTypes;
  private final Map<String, Sector> ownerTypes;
  private final Map<SenderKind, Sector> senderKinds;

  public SectorRules(
      Map<String, Sector> institutionTypes,
      Map<String, Sector> ownerTypes,
      Map<SenderKind, Sector> senderKinds) {
    this.institutionTypes = Map.copyOf(institutionTypes);
    this.ownerTypes = Map.copyOf(ownerTypes);
    this.senderKinds = Map.copyOf(senderKinds);
  }

  public static SectorRules defaults() {
    return of((ConsentProperties.Sectors) null);
  }

  /**
   * The defaults with the configured entries added or overriding them; an unknown sender kind code
   * is an error (the application does not start).
   */
  public static SectorRules of(ConsentProperties.Sectors configured) {
    Map<String, Sector> institution = new HashMap<>(DEFAULT_INSTITUTION_TYPES);
    Map<String, Sector> owner = new HashMap<>(DEFAULT_OWNER_TYPES);
    Map<SenderKind, Sector> kinds = new EnumMap<>(SenderKind.class);
    for (SenderKind k : SenderKind.values()) {
      kinds.put(k, k.sector());
    }
    if (configured != null) {
      configured
          .institutionTypes()
          .forEach((type, sector) -> institution.put(type.strip(), sector));
      configured
          .ownerTypes()
          .forEach((type, sector) -> owner.put(type.strip().toLowerCase(Locale.ROOT), sector));
      configured
          .senderKinds()
          .forEach(
              (code, sector) ->
                  kinds.put(
                      CodedValue.byCode(SenderKind.class, code)
                          .orElseThrow(
                              () ->
                                  new IllegalArgumentException(
                                      "gateway.consent.sectors.sender-kinds."
                                          + code
                                          + ": unknown sender kind")),
                      sector));
    }
    return new SectorRules(institution, owner, kinds);
  }

  public Sector ofInstitutionType(String type) {
    return type == null ? null : institutionTypes.get(type.strip());
  }

  public Sector ofOwnerType(String type) {
    return type == null ? null : ownerTypes.get(type.strip().toLowerCase(Locale.ROOT));
  }

  /** The sector the registry must place a sender of this kind in. */
  public Sector of(SenderKind kind) {
    return senderKinds.get(kind);
  }

  /** The sector of a unit: the nearest institution type that names one, else its owner's type. */
  public Sector sector(RegistrySnapshot snapshot, String sor) {
    if (sor == null) {
      return null;
    }
    List<RegistryUnit> path = snapshot.path(sor);
    for (int i = path.size() - 1; i >= 0; i--) {
      Sector s = ofInstitutionType(path.get(i).institutionType());
      if (s != null) {
        return s;
      }
    }
    for (RegistryUnit u : path) {
      Sector s = ofOwnerType(u.ownerType());
      if (s != null) {
        return s;
      }
    }
    return null;
  }
}
