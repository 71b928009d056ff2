package dk.sektorbro.gateway.addressing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The journal detail of an addressing decision (R16): the snapshot it was made against, the address
 * before and after, the unit path, every rule that fired and the alternatives. The gate and the
 * delivery guard write the same shape, so a hold at delivery is explained as a hold at the gate.
 */
final class ResolutionDetail {

  private ResolutionDetail() {}

  static String of(
      ObjectMapper json,
      Resolution r,
      RegistrySnapshot snapshot,
      Optional<SenderCheck.Finding> sender) {
    Map<String, Object> d = new LinkedHashMap<>();
    d.put("outcome", r.outcome().name());
    d.put("snapshotId", snapshot.info().id());
    d.put(
        "snapshotDate",
        snapshot.info().snapshotDate() == null ? null : snapshot.info().snapshotDate().toString());
    d.put("errorCode", r.errorCode());
    d.put("before", r.given());
    d.put("after", r.resolved());
    d.put("unitPath", r.unitPath());
    d.put("rules", r.trail());
    d.put("suggestions", r.suggestions());
    sender.ifPresent(f -> d.put("sender", f.step()));
    try {
      return json.writeValueAsString(d);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("addressing detail cannot be serialised", e);
    }
  }
}
