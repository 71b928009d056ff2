package dk.sektorbro.gateway.addressing;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads an EHMI Endpoint Register FHIR Bundle (JSON) of Organizations and Endpoints (addressing.md
 * §3) entry by entry. The EER puts the GLN on the Endpoint, the SOR id on the Organization, and
 * materialises inheritance (a child references its parent's Endpoint): a unit whose parent
 * references the same GLN therefore inherits it; the topmost referencing unit owns it.
 */
public final class EerBundleFormat implements RegistryFormat {

  static final String SOR_SYSTEM = "urn:oid:1.2.208.176.1.1";
  private static final Set<String> NOT_RECEIVING =
      Set.of("suspended", "off", "error", "entered-in-error");

  private final ObjectMapper json = new ObjectMapper();

  @Override
  public String source() {
    return "EER_FHIR";
  }

  @Override
  public LocalDate read(InputStream in, SnapshotBuilder builder, ImportProgress progress) {
    Map<String, JsonNode> organizations = new LinkedHashMap<>();
    Map<String, JsonNode> endpoints = new LinkedHashMap<>();
    LocalDate date;
    try (JsonParser parser = json.getFactory().createParser(in)) {
      date = readEntries(parser, organizations, endpoints, builder);
    } catch (IOException e) {
      throw new ImportFailure("EER bundle is not well-formed JSON");
    }
    new Linker(organizations, endpoints, builder, progress).link();
    return date;
  }

  private LocalDate readEntries(
      JsonParser p,
      Map<String, JsonNode> orgs,
      Map<String, JsonNode> endpoints,
      SnapshotBuilder builder)
      throws IOException {
    if (p.nextToken() != JsonToken.START_OBJECT) {
      throw new ImportFailure("not an EER bundle: expected a FHIR Bundle JSON object");
    }
    LocalDate date = null;
    boolean bundle = false;
    int position = 0;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String field = p.currentName();
      p.nextToken();
      switch (field) {
        case "resourceType" -> bundle = "Bundle".equals(p.getText());
        case "timestamp" -> date = SorXmlFormat.date(p.getText());
        case "entry" -> {
          while (p.nextToken() == JsonToken.START_OBJECT) {
            JsonNode entry = json.readTree(p);
            position++;
            sort(entry, position, orgs, endpoints, builder);
          }
        }
        default -> p.skipChildren();
      }
    }
    if (!bundle) {
      throw new ImportFailure("not an EER bundle: resourceType must be Bundle");
    }
    return date;
  }

  private static void sort(
      JsonNode entry,
      int position,
      Map<String, JsonNode> orgs,
      Map<String, JsonNode> endpoints,
      SnapshotBuilder builder) {
    JsonNode resource = entry.path("resource");
    String type = resource.path("resourceType").asText("");
    String key = resource.path("id").asText("entry-" + position);
    switch (type) {
      case "Organization" -> orgs.put(key, resource);
      case "Endpoint" -> endpoints.put(key, resource);
      default ->
          builder.reject(
              "entry " + position, "resource type '" + type + "' is not used for addressing");
    }
  }

  /** Joins Organizations and Endpoints once all are read (references may point forward). */
  private static final class Linker {
    private final Map<String, JsonNode> orgs;
    private final Map<String, JsonNode> endpoints;
    private final SnapshotBuilder builder;
    private final ImportProgress progress;
    private final Map<String, String> sorByOrgId = new HashMap<>();
    private final Map<String, String> glnByEndpointId = new HashMap<>();
    private final Map<String, String> parentBySor = new HashMap<>();
    private final Map<String, Set<String>> glnsBySor = new HashMap<>();

    Linker(
        Map<String, JsonNode> orgs,
        Map<String, JsonNode> endpoints,
        SnapshotBuilder builder,
        ImportProgress progress) {
      this.orgs = orgs;
      this.endpoints = endpoints;
      this.builder = builder;
      this.progress = progress;
    }

    void link() {
      orgs.forEach(
          (id, org) -> {
            String sor = identifier(org, SOR_SYSTEM);
            if (sor != null) {
              sorByOrgId.put(id, sor);
            }
          });
      endpoints.forEach(
          (id, ep) -> {
            String gln = gln(ep);
            if (gln != null) {
              glnByEndpointId.put(id, gln);
            }
          });
      orgs.forEach(
          (id, org) -> {
            String sor = sorByOrgId.get(id);
            if (sor != null) {
              parentBySor.put(sor, reference(org.path("partOf"), SOR_SYSTEM, sorByOrgId));
              Set<String> glns = new LinkedHashSet<>();
              org.path("endpoint").forEach(ref -> add(glns, reference(ref, null, glnByEndpointId)));
              glnsBySor.put(sor, glns);
            }
          });
      orgs.forEach(this::unit);
      endpoints.forEach(this::locations);
    }

    private void unit(String id, JsonNode org) {
      progress.unitRead();
      String sor = sorByOrgId.get(id);
      String name = org.path("name").asText(null);
      String level = levelCode(org);
      if (sor == null || name == null || level == null) {
        builder.reject(
            "Organization " + id,
            "needs a SOR identifier (" + SOR_SYSTEM + "), a name and a SOR level type");
        return;
      }
      String own = ownGln(sor);
      boolean inherited = own == null && !glnsBySor.get(sor).isEmpty();
      try {
        builder.unit(
            new RegistryUnit(
                sor,
                RegistryUnit.Level.parse(level),
                parentBySor.get(sor),
                name,
                null,
                null,
                null,
                null,
                null,
                null,
                List.of(),
                inherited,
                own,
                null,
                null));
      } catch (IllegalArgumentException e) {
        builder.reject("Organization " + id, "unknown SOR level '" + level + "'");
      }
    }

    /** The GLN this unit holds itself: one it references that its parent does not. */
    private String ownGln(String sor) {
      Set<String> parentGlns = glnsBySor.getOrDefault(parentBySor.get(sor), Set.of());
      return glnsBySor.get(sor).stream()
          .filter(g -> !parentGlns.contains(g))
          .findFirst()
          .orElse(null);
    }

    private void locations(String id, JsonNode ep) {
      String gln = glnByEndpointId.get(id);
      if (id.length() > 64) {
        builder.reject("Endpoint " + id.substring(0, 64), "id longer than FHIR's 64 characters");
        return;
      }
      if (gln == null) {
        builder.reject("Endpoint " + id, "no GLN identifier");
        return;
      }
      Set<String> payloads = new LinkedHashSet<>();
      ep.path("payloadType")
          .forEach(
              pt -> pt.path("coding").forEach(c -> add(payloads, c.path("code").asText(null))));
      boolean nonActive = NOT_RECEIVING.contains(ep.path("status").asText(""));
      LocalDate start;
      LocalDate end;
      try {
        start = EndpointPeriod.firstDay(ep.path("period").path("start").asText(null));
        end = EndpointPeriod.lastDay(ep.path("period").path("end").asText(null));
      } catch (DateTimeException e) {
        // Read before: an unreadable start as none (in force at once), an unreadable end as
        // open-ended. The safe side is a postbox that is not used, reported like a bad flag.
        builder.reject(
            "Endpoint " + id,
            "period.start or period.end is not a FHIR date/dateTime; read as not active");
        start = null;
        end = null;
        nonActive = true;
      }
      List<String> owners = new ArrayList<>();
      glnsBySor.forEach(
          (sor, glns) -> {
            if (gln.equals(ownGln(sor))) {
              owners.add(sor);
            }
          });
      if (owners.isEmpty()) {
        String managing = reference(ep.path("managingOrganization"), SOR_SYSTEM, sorByOrgId);
        if (managing == null) {
          builder.reject(
              "Endpoint " + id,
              "no Organization references it and it names no managingOrganization");
          return;
        }
        owners.add(managing);
      }
      for (String owner : owners) {
        builder.location(
            new RegistryLocation(
                gln, owner, false, nonActive, start, end, Set.of(), payloads, null, id));
      }
    }

    private static String levelCode(JsonNode org) {
      for (JsonNode type : org.path("type")) {
        for (JsonNode coding : type.path("coding")) {
          if (coding.path("system").asText("").endsWith("eer-sor-organization-type")) {
            return coding.path("code").asText(null);
          }
        }
      }
      return null;
    }
  }

  /**
   * A reference by logical identifier (system optional) or by "Type/id" resolved through {@code
   * byId}.
   */
  static String reference(JsonNode ref, String system, Map<String, String> byId) {
    JsonNode identifier = ref.path("identifier");
    if (identifier.has("value")
        && (system == null || system.equals(identifier.path("system").asText(system)))) {
      return Identifiers.normalise(identifier.path("value").asText());
    }
    String reference = ref.path("reference").asText(null);
    return reference == null ? null : byId.get(reference.substring(reference.indexOf('/') + 1));
  }

  static String identifier(JsonNode resource, String system) {
    for (JsonNode id : resource.path("identifier")) {
      if (system.equals(id.path("system").asText())) {
        return Identifiers.normalise(id.path("value").asText(null));
      }
    }
    return null;
  }

  /**
   * The GLN of an Endpoint: any of the GLN systems, or type GLN without a system (addressing.md
   * §1.2).
   */
  static String gln(JsonNode endpoint) {
    for (JsonNode id : endpoint.path("identifier")) {
      String system = id.path("system").asText("");
      boolean glnType = id.path("type").path("coding").findValuesAsText("code").contains("GLN");
      if (system.contains("gs1.org/gln")
          || system.equals("urn:oid:1.3.88")
          || system.endsWith("eer-gln-identifier")
          || glnType) {
        return Identifiers.normalise(id.path("value").asText(null));
      }
    }
    return null;
  }

  private static void add(Set<String> set, String value) {
    if (value != null && !value.isBlank()) {
      set.add(value);
    }
  }
}
