package dk.sektorbro.gateway.validation;

import java.lang.reflect.Field;
import org.hl7.fhir.utilities.OIDUtilities;
import org.hl7.fhir.validation.instance.InstanceValidator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One OID table for every {@link InstanceValidator} in the JVM. Each instance loads HAPI's OID
 * registry (21,000 entries, about 4 MB) into its own private {@code oids} field and only ever reads
 * it ({@code isKnownOID}); HAPI has no setter, so the field is replaced by reflection with one
 * table loaded once. Where the field is not there (another HAPI version) the instance keeps its own
 * table: same verdicts, more memory.
 */
final class SharedOids {

  private static final Logger log = LoggerFactory.getLogger(SharedOids.class);
  private static final Field FIELD = field();
  private static final OIDUtilities TABLE = FIELD == null ? null : new OIDUtilities();

  private SharedOids() {}

  static void install(InstanceValidator validator) {
    if (FIELD == null) {
      return;
    }
    try {
      FIELD.set(validator, TABLE);
    } catch (IllegalAccessException | RuntimeException e) {
      log.debug("OID table not shared cause={}", e.getClass().getSimpleName());
    }
  }

  /** True when instances share the one table (tests). */
  static boolean shared(InstanceValidator validator) {
    try {
      return FIELD != null && FIELD.get(validator) == TABLE;
    } catch (IllegalAccessException e) {
      return false;
    }
  }

  private static Field field() {
    try {
      Field f = InstanceValidator.class.getDeclaredField("oids");
      if (f.getType() != OIDUtilities.class) {
        return null;
      }
      f.setAccessible(true);
      return f;
    } catch (NoSuchFieldException | RuntimeException e) {
      log.info("HAPI's InstanceValidator has no oids field: each instance keeps its own OID table");
      return null;
    }
  }
}
