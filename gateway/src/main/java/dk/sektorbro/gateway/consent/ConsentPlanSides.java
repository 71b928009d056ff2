package dk.sektorbro.gateway.consent;

import dk.sektorbro.gateway.addressing.Identifiers;
import dk.sektorbro.gateway.addressing.RegistryService;
import dk.sektorbro.gateway.careplan.PlanSides;
import dk.sektorbro.gateway.mapping.MappingDefinition;
import dk.sektorbro.gateway.mapping.MappingRegistry;
import java.util.Optional;
import org.springframework.stereotype.Component;

/**
 * The plan's sides as the consent gate places its sender and recipient ({@link DisclosureFacts}):
 * the sender by the sector of its source's declared sender kind (the gateway binds the record's
 * sender SOR to the source's organisation, and the gate confirms the registry agrees), the
 * recipient by the registry's sector for its SOR, both under the installation's {@link
 * SectorRules}.
 */
@Component
class ConsentPlanSides implements PlanSides {

  private final MappingRegistry mappings;
  private final RegistryService registry;
  private final SectorRules sectors;

  ConsentPlanSides(
      MappingRegistry mappings, RegistryService registry, ConsentProperties properties) {
    this.mappings = mappings;
    this.registry = registry;
    this.sectors = properties.sectorRules();
  }

  @Override
  public Optional<Side> sender(String source) {
    return mappings
        .find(source)
        .map(MappingDefinition::senderKind)
        .flatMap(code -> CodedValue.byCode(SenderKind.class, code))
        .map(sectors::of)
        .map(ConsentPlanSides::side);
  }

  @Override
  public Optional<Side> recipient(String sor) {
    String normalised = Identifiers.normalise(sor);
    if (normalised == null) {
      return Optional.empty();
    }
    return registry
        .active()
        .filter(s -> s.unit(normalised).isPresent())
        .map(s -> sectors.sector(s, normalised))
        .map(ConsentPlanSides::side);
  }

  static Side side(Sector sector) {
    return switch (sector) {
      case HOSPITAL -> Side.HOSPITAL;
      case MUNICIPALITY, HOME_NURSING -> Side.MUNICIPALITY;
      case PRACTICE -> Side.OTHER;
    };
  }
}
