package dk.sektorbro.gateway.addressing;

import java.time.LocalDate;
import java.util.Set;

/**
 * A postbox: an EAN/GLN location number as owned by one SOR unit, with the message types it can
 * receive (SOR-EDI codes, and EER payload types when imported from the Endpoint Register).
 */
public record RegistryLocation(
    String gln,
    String ownerSorId,
    boolean onlyInternal,
    boolean nonActive,
    LocalDate validTo,
    Set<String> receives,
    Set<String> payloadTypes,
    String communicationSupplier) {

  public RegistryLocation {
    receives = receives == null ? Set.of() : Set.copyOf(receives);
    payloadTypes = payloadTypes == null ? Set.of() : Set.copyOf(payloadTypes);
  }

  /** Out of operation: flagged non-active, or closed before {@code day}. */
  public boolean outOfOperationOn(LocalDate day) {
    return nonActive || (validTo != null && validTo.isBefore(day));
  }
}
