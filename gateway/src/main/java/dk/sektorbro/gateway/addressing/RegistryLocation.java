package dk.sektorbro.gateway.addressing;

import java.time.LocalDate;
import java.util.Set;

/**
 * A postbox: an EAN/GLN location number as owned by one SOR unit, with the message types it can
 * receive (SOR-EDI codes, and EER payload types when imported from the Endpoint Register). An EER
 * postbox may have several records, one per Endpoint ({@code endpointId}), each in force for its
 * own period: {@link RegistrySnapshot#location(String, String, LocalDate)} picks the day's.
 *
 * @param validFrom first register day the postbox is in force (SOR FirstFromDate of the location,
 *     EER Endpoint period.start); null: no start given
 * @param validTo last register day it is in force (SOR ToDate, EER period.end); null: open
 */
public record RegistryLocation(
    String gln,
    String ownerSorId,
    boolean onlyInternal,
    boolean nonActive,
    LocalDate validFrom,
    LocalDate validTo,
    Set<String> receives,
    Set<String> payloadTypes,
    String communicationSupplier,
    String endpointId) {

  public RegistryLocation {
    receives = receives == null ? Set.of() : Set.copyOf(receives);
    payloadTypes = payloadTypes == null ? Set.of() : Set.copyOf(payloadTypes);
  }

  /** A postbox without a start date or endpoint (SOR XML without FirstFromDate, tests). */
  public RegistryLocation(
      String gln,
      String ownerSorId,
      boolean onlyInternal,
      boolean nonActive,
      LocalDate validTo,
      Set<String> receives,
      Set<String> payloadTypes,
      String communicationSupplier) {
    this(
        gln,
        ownerSorId,
        onlyInternal,
        nonActive,
        null,
        validTo,
        receives,
        payloadTypes,
        communicationSupplier,
        null);
  }

  /** Out of operation: flagged non-active, or closed before {@code day}. */
  public boolean outOfOperationOn(LocalDate day) {
    return nonActive || (validTo != null && validTo.isBefore(day));
  }

  /** Registered to start after {@code day}: not to be used yet, however active it is flagged. */
  public boolean notYetInForceOn(LocalDate day) {
    return validFrom != null && validFrom.isAfter(day);
  }

  /** In force and in operation on {@code day}. */
  public boolean receivingOn(LocalDate day) {
    return !notYetInForceOn(day) && !outOfOperationOn(day);
  }
}
