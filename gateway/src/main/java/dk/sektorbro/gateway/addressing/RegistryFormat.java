package dk.sektorbro.gateway.addressing;

import java.io.InputStream;
import java.time.LocalDate;

/**
 * One import format: reads a stream into a {@link SnapshotBuilder}, returning the export's own
 * date.
 */
public interface RegistryFormat {

  /** Source name stored on the snapshot, e.g. SOR_XML or EER_FHIR. */
  String source();

  LocalDate read(InputStream in, SnapshotBuilder builder, ImportProgress progress);
}
