package dk.sektorbro.gateway.addressing;

import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The JSON shapes of units and postboxes in the registry API. */
final class RegistryViews {

  private RegistryViews() {}

  static Map<String, Object> unit(RegistrySnapshot snapshot, RegistryUnit u, LocalDate today) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("snapshotId", snapshot.info().id());
    m.put("unit", u);
    m.put("active", u.activeOn(today));
    m.put(
        "path",
        snapshot.path(u.sorId()).stream()
            .map(p -> Map.of("sor", p.sorId(), "level", p.level().name(), "name", p.name()))
            .toList());
    m.put(
        "postbox",
        u.effectiveGln() == null
            ? null
            : snapshot.location(u.effectiveGln(), u.effectiveGlnFrom()).orElse(null));
    m.put(
        "children",
        snapshot.children(u.sorId()).stream().map(RegistryUnit::sorId).sorted().toList());
    if (!u.activeOn(today) && !u.replacedBy().isEmpty()) {
      Successors.Chain chain = Successors.follow(snapshot, u, today);
      m.put(
          "successors",
          Map.of(
              "end",
              chain.end().name(),
              "chain",
              chain.chain().stream().map(RegistryUnit::sorId).toList()));
    }
    return m;
  }

  static Map<String, Object> location(RegistrySnapshot snapshot, String gln) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("snapshotId", snapshot.info().id());
    m.put("gln", gln);
    m.put("owners", snapshot.locations(gln));
    List<Map<String, Object>> users =
        snapshot.unitsUsing(gln).stream()
            .map(
                u -> {
                  Map<String, Object> v = new LinkedHashMap<>();
                  v.put("sor", u.sorId());
                  v.put("name", u.name());
                  v.put("inherited", !gln.equals(u.ownGln()));
                  return v;
                })
            .toList();
    m.put("usedBy", users);
    return m;
  }
}
