package dk.sektorbro.gateway.intake;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import dk.sektorbro.gateway.mapping.MappingOutcome;
import dk.sektorbro.gateway.platform.Sha256;
import java.util.Arrays;

/**
 * The second idempotency key: SHA-256 over the record as the mapping read it (the canonical record
 * and, for a care plan, its plan data), written as JSON with every map's entries in key order (plan
 * data are immutable maps, whose order differs between runs). Whitespace, line ends, JSON key order
 * and XML attribute order never reach the mapped record, so a re-serialised resend has the same
 * hash; a change of anything the mapping reads (a correction) gives another. Fields the mapping
 * does not read are not part of the message either. A gateway whose mapping or canonical record
 * changed may hash the same bytes differently; the byte key still catches those.
 */
final class RecordHash {

  private final ObjectMapper json;

  RecordHash(ObjectMapper json) {
    this.json = json;
  }

  String of(MappingOutcome.Mapped mapped) {
    // A writer is a light view of the mapper (its serializers are the mapper's, cached there).
    ObjectWriter writer = json.writer(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);
    try {
      return Sha256.hex(writer.writeValueAsBytes(Arrays.asList(mapped.record(), mapped.plan())));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("mapped record cannot be serialised", e);
    }
  }
}
