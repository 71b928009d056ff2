package dk.sektorbro.gateway.careplan;

import java.util.Optional;

/**
 * Which side of the hospital/municipality divide a plan's sender and recipient are on, as the
 * consent gate places them (the source's declared sender kind, the SOR registry's placement of a
 * unit, both configurable in {@code gateway.consent.sectors.*}). Declared here and implemented in
 * the consent package, which depends on careplan: the careplan package cannot depend back on it.
 */
public interface PlanSides {

  enum Side {
    HOSPITAL,
    /** The municipality, its home nursing included. */
    MUNICIPALITY,
    /** General practice, a practising specialist, or anything else. */
    OTHER
  }

  /** The side the source sends for (its mapping's sender kind); empty when it declares none. */
  Optional<Side> sender(String source);

  /** The side the active SOR registry places the unit on; empty when it cannot tell. */
  Optional<Side> recipient(String sor);
}
