package dk.sektorbro.gateway.addressing;

/**
 * A registry snapshot became the active one, announced inside the import's transaction so the audit
 * log (admin) records who uploaded it with the snapshot or not at all. {@code actor} is the gateway
 * user, or {@link #AT_START} for the bootstrap file.
 */
public record RegistryImported(String actor, SnapshotInfo snapshot) {

  public static final String AT_START = "gateway (bootstrap file)";

  /** What the audit log keeps of it: the format, the content hash and the counts. */
  public String detail() {
    return "format="
        + snapshot.source()
        + " sha256="
        + snapshot.contentHash()
        + " units="
        + snapshot.units()
        + " locations="
        + snapshot.locations()
        + " rejected="
        + snapshot.rejected();
  }
}
