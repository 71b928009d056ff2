package dk.sektorbro.gateway.validation;

import ca.uhn.fhir.context.FhirContext;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dk.sektorbro.gateway.medcom.FhirMessageCodec;
import dk.sektorbro.gateway.medcom.SampleMessages;
import dk.sektorbro.gateway.platform.GatewayProperties.FhirFormat;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.function.BiConsumer;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.utilities.npm.NpmPackage;

/**
 * The differential corpus: systematic mutants of the gateway's own messages (every valid sample, as
 * built in production), of every official example Bundle in the chains' packages and of the MedCom
 * TestScript fixtures. Each seed is mutated everywhere it can be: every element dropped, every
 * repeating element duplicated and every single one repeated, every code and system made wrong,
 * every reference broken, every string emptied, instants without zone or impossible, CPR numbers
 * malformed, texts with spaces, controls or markup, unknown extensions on every object, entries
 * reordered, fixed values changed; and value-only variants that keep the structure (other UUIDs,
 * other CPR numbers, other texts, times shifted or swapped), which are the ones the fast validator
 * answers from its memory. Deterministic: the same list every run.
 */
public final class DifferentialCorpus {

  /** One variant: the chain it is validated in, where it came from and what was changed. */
  public record Variant(String messageType, String seed, String mutation, String message) {}

  /**
   * One variant as planned, not yet built: what it is, and how to make its message. Building a
   * message copies and serialises the seed (and converts some to XML), which for the whole corpus
   * takes longer than validating hundreds of variants and needs gigabytes; planning walks each seed
   * once. {@link #variant()} gives the same message every time, and the same as {@link #all} does.
   */
  public record Planned(
      String messageType, String seed, String mutation, Supplier<String> message) {

    public Variant variant() {
      return new Variant(messageType, seed, mutation, message.get());
    }
  }

  /**
   * @param built the gateway's own message (delivered as XML), not an official example or fixture
   */
  private record Seed(String messageType, String name, String json, boolean built) {}

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final FhirContext FHIR = FhirContext.forR4Cached();
  private static final Pattern UUID =
      Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
  private static final Pattern INSTANT =
      Pattern.compile("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?(Z|[+-]\\d{2}:\\d{2})");
  private static final Pattern DATE = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");
  private static final Pattern YEAR_IN_MESSAGE =
      Pattern.compile("(\"|value=\")(\\d{4})(-\\d{2}-\\d{2}[\"T])");
  private static final Pattern TEXT_IN_MESSAGE =
      Pattern.compile(
          "(\"(?:family|given|text|contentString|title)\"\\s*:\\s*\\[?\\s*\"|"
              + "<(?:family|given|text|contentString|title) value=\")([^\"\\\\]+)\"");
  private static final String UNKNOWN_EXTENSION =
      "http://example.org/fhir/StructureDefinition/unknown-extension";

  private DifferentialCorpus() {}

  /**
   * The seeds themselves, unmutated (JSON and, for the gateway's samples, XML): the fast path's
   * first templates.
   */
  public static List<Variant> seeds(ConformanceChains chains) {
    List<Variant> out = new ArrayList<>();
    for (Seed seed : seedList(chains)) {
      out.add(new Variant(seed.messageType(), seed.name(), "seed", seed.json()));
    }
    for (Path sample : SampleMessages.validSamples()) {
      Bundle bundle = SampleMessages.bundle(SampleMessages.record(sample));
      out.add(
          new Variant(
              ChainDefinition.CARE_COMMUNICATION,
              sample.getFileName().toString(),
              "seed as XML",
              new FhirMessageCodec(FHIR).encode(bundle, FhirFormat.XML)));
    }
    return out;
  }

  /**
   * Every variant of every seed, in seed order. The variants are built side by side (each from its
   * own copy of its seed, with its own random numbers, seeded by the seed's name), so the corpus is
   * the same as built one by one.
   */
  public static List<Variant> all(ConformanceChains chains) {
    return plan(chains).parallelStream().map(Planned::variant).toList();
  }

  /**
   * Every variant of every seed, in the order of {@link #all}, none of them built: the corpus's
   * size and a sample of it without building the rest.
   */
  public static List<Planned> plan(ConformanceChains chains) {
    List<Planned> out = new ArrayList<>();
    for (Seed seed : seedList(chains)) {
      mutate(seed, out);
    }
    return out;
  }

  /**
   * Every variant, one seed's variants at a time (the whole corpus as strings needs gigabytes):
   * {@code perSeed} gets each seed's name and variants in corpus order.
   */
  public static void eachSeed(ConformanceChains chains, BiConsumer<String, List<Variant>> perSeed) {
    for (Seed seed : seedList(chains)) {
      List<Planned> planned = new ArrayList<>();
      mutate(seed, planned);
      perSeed.accept(seed.name(), planned.parallelStream().map(Planned::variant).toList());
    }
  }

  /**
   * A fixed sample of {@code size} variants: a quarter are value-only variants (the ones the fast
   * path answers from memory, so the sample tests it), the rest spread evenly over the corpus.
   */
  public static List<Variant> sample(ConformanceChains chains, int size) {
    return sample(plan(chains), size);
  }

  /**
   * As {@link #sample(ConformanceChains, int)}, from a corpus planned already; only the sampled
   * variants are built (chosen by their mutation's name, so the same ones as from the built
   * corpus).
   */
  public static List<Variant> sample(List<Planned> corpus, int size) {
    List<Planned> valueOnly = corpus.stream().filter(v -> valueOnly(v.mutation())).toList();
    List<Planned> out = new ArrayList<>(size);
    out.addAll(spread(valueOnly, Math.min(valueOnly.size(), size / 4)));
    List<Planned> rest = corpus.stream().filter(v -> !valueOnly(v.mutation())).toList();
    out.addAll(spread(rest, size - out.size()));
    return out.parallelStream().map(Planned::variant).toList();
  }

  private static <V> List<V> spread(List<V> from, int size) {
    List<V> out = new ArrayList<>(size);
    double step = (double) from.size() / size;
    for (int i = 0; i < size && i * step < from.size(); i++) {
      out.add(from.get((int) (i * step)));
    }
    return out;
  }

  private static boolean valueOnly(String mutation) {
    return VALUE_ONLY.contains(mutation.replace(" as XML", ""));
  }

  private static final Set<String> VALUE_ONLY =
      Set.of(
          "other UUIDs everywhere",
          "other texts everywhere",
          "other CPR",
          "texts with line breaks everywhere",
          "CPR of 29 February in a common year",
          "all instants an hour later",
          "instants in UTC notation",
          "instants with milliseconds",
          "first and last instants swapped",
          // Value-only shapes the fast path answered from memory before 2026-12-07 (red team):
          "instants and dates a century later",
          "texts starting with a no-break space",
          "texts ending with a narrow no-break space",
          "texts of no-break spaces only",
          "instants written at +14:00",
          "ideographic space between elements",
          "line separator between elements");

  private static List<Seed> seedList(ConformanceChains chains) {
    List<Seed> seeds = new ArrayList<>();
    FhirMessageCodec codec = new FhirMessageCodec(FHIR);
    for (Path sample : SampleMessages.validSamples()) {
      Bundle bundle = SampleMessages.bundle(SampleMessages.record(sample));
      seeds.add(
          new Seed(
              ChainDefinition.CARE_COMMUNICATION,
              sample.getFileName().toString(),
              codec.encode(bundle, FhirFormat.JSON),
              true));
    }
    for (String type : chains.medcomChains().keySet()) {
      List<String> examples = chains.officialExamples(type);
      for (int i = 0; i < examples.size(); i++) {
        seeds.add(new Seed(type, type + " example " + i, examples.get(i), false));
      }
    }
    Path testscripts = MedComChains.PACKAGES.getParent().resolve("testscripts");
    addFixtures(
        seeds,
        testscripts.resolve("medcom.fhir.dk.carecommunicationtestscripts-5.0.0.tgz"),
        ChainDefinition.CARE_COMMUNICATION);
    addFixtures(
        seeds,
        testscripts.resolve("medcom.fhir.dk.acknowledgementtestscripts-2.0.0.tgz"),
        "Acknowledgement");
    // The example Bundles of the other packages in the folder (messaging, dk-core, notes): nobody
    // on the team wrote them either. Each in the chain that loads that package version (notes in
    // the document chain, which does not load it: its profiles are unknown there).
    Path packages = MedComChains.PACKAGES;
    addFixtures(
        seeds,
        packages.resolve("medcom.fhir.dk.messaging-4.0.2.tgz"),
        ChainDefinition.CARE_COMMUNICATION);
    addFixtures(
        seeds,
        packages.resolve("medcom.fhir.dk.messaging-2.1.0.tgz"),
        ChainDefinition.ACKNOWLEDGEMENT);
    addFixtures(
        seeds, packages.resolve("hl7.fhir.dk.core-3.4.0.tgz"), ChainDefinition.CARE_COMMUNICATION);
    addFixtures(
        seeds, packages.resolve("hl7.fhir.dk.core-3.5.0.tgz"), ChainDefinition.CARE_PLAN_DOCUMENT);
    addFixtures(
        seeds,
        packages.resolve("medcom.fhir.dk.notes-1.0.0.tgz"),
        ChainDefinition.CARE_PLAN_DOCUMENT);
    return seeds;
  }

  private static void addFixtures(List<Seed> seeds, Path tgz, String type) {
    if (!Files.isRegularFile(tgz)) {
      throw new IllegalStateException("package missing: " + tgz.toAbsolutePath().normalize());
    }
    try (InputStream in = Files.newInputStream(tgz)) {
      NpmPackage npm = NpmPackage.fromPackage(in);
      boolean testScripts = npm.name().endsWith("testscripts");
      // The Acknowledgement TestScripts keep their three fixtures in the package folder itself,
      // not in example/ (they were missing from the corpus until 2026-12-07).
      for (String folder : List.of("example", "package")) {
        if (!npm.getFolders().containsKey(folder)) {
          continue;
        }
        for (String file : npm.list(folder)) {
          if (file.startsWith("Bundle-") && file.endsWith(".json")) {
            try (InputStream fixture = npm.load(folder, file)) {
              seeds.add(
                  new Seed(
                      type,
                      (testScripts ? "TestScript fixture " : npm.name() + " example ") + file,
                      new String(fixture.readAllBytes(), StandardCharsets.UTF_8),
                      false));
            }
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Plans every variant of the seed (builds none): its tree is walked once, copied per variant. */
  private static void mutate(Seed seed, List<Planned> out) {
    ObjectNode root = read(seed.json());
    List<Location> locations = new ArrayList<>();
    walk(root, "", locations);
    Consumer<Mutant> add =
        m -> out.add(new Planned(seed.messageType(), seed.name(), m.name, m.json));

    int valueOnlyFrom = out.size();
    // Value-only variants first: the same structure with other values (answered from memory).
    // Its own random numbers, seeded by the seed's name, each time the variant is built.
    add.accept(
        variant(
            root,
            "other UUIDs everywhere",
            r -> renameUuids(r, new Random(seed.name().hashCode()))));
    add.accept(
        variant(
            root, "other texts everywhere", r -> rewriteTexts(r, "Anden tekst med æøå, 12 (ok)")));
    add.accept(variant(root, "other CPR", r -> rewriteCpr(r, "2912875118")));
    // Line breaks and tabs inside texts: nearly every real note has them (the pipeline's hit rate).
    add.accept(
        variant(
            root,
            "texts with line breaks everywhere",
            r -> rewriteTexts(r, "Linje et\nlinje to\r\n\tlinje tre")));
    // Valid in dk-core 3.x, not in dk-core 2.0.0 (29 February of a year that is not a leap year).
    add.accept(
        variant(root, "CPR of 29 February in a common year", r -> rewriteCpr(r, "2902011234")));
    add.accept(
        variant(root, "all instants an hour later", r -> rewriteInstants(r, s -> shiftHour(s))));
    add.accept(
        variant(
            root,
            "instants in UTC notation",
            r -> rewriteInstants(r, s -> s.replaceAll("[+-]\\d{2}:\\d{2}$", "Z"))));
    add.accept(
        variant(
            root,
            "instants with milliseconds",
            r -> rewriteInstants(r, s -> s.replaceFirst(":(\\d{2})([Z+-])", ":$1.123$2"))));
    add.accept(variant(root, "first and last instants swapped", DifferentialCorpus::swapInstants));
    // HAPI warns about a dateTime or date after 2100 ("reasonable" years: 1800-2100).
    add.accept(
        variant(
            root,
            "instants and dates a century later",
            r ->
                eachText(
                    r,
                    null,
                    (key, value, owner) ->
                        INSTANT.matcher(value).matches() || DATE.matcher(value).matches()
                            ? yearsLater(value, 100)
                            : null)));
    // HAPI's whitespace (Unicode White_Space) includes the no-break spaces; Java's does not.
    add.accept(
        variant(
            root,
            "texts starting with a no-break space",
            r -> eachDistinctText(r, (value, n) -> "\u00a0" + value)));
    add.accept(
        variant(
            root,
            "texts ending with a narrow no-break space",
            r -> eachDistinctText(r, (value, n) -> value + "\u202f")));
    add.accept(
        variant(
            root,
            "texts of no-break spaces only",
            r -> eachDistinctText(r, (value, n) -> "\u00a0".repeat(n + 1))));
    // The same moments written at the largest offset FHIR allows.
    add.accept(
        variant(
            root,
            "instants written at +14:00",
            r ->
                rewriteInstants(
                    r,
                    s ->
                        OffsetDateTime.parse(s)
                            .withOffsetSameInstant(ZoneOffset.ofHours(14))
                            .format(DateTimeFormatter.ISO_OFFSET_DATE_TIME))));

    if (seed.built()) {
      // The gateway delivers XML: its value-only variants as XML too (the fingerprint's XML
      // reader).
      int valueOnly = out.size() - valueOnlyFrom;
      for (int i = 0; i < valueOnly; i++) {
        Planned v = out.get(valueOnlyFrom + i);
        out.add(
            new Planned(
                v.messageType(),
                v.seed(),
                v.mutation() + " as XML",
                () -> asXml(v.message().get())));
      }
      // Text between elements that Java calls whitespace and XML does not: HAPI refuses it.
      for (String space : List.of("\u3000", "\u2028")) {
        out.add(
            new Planned(
                seed.messageType(),
                seed.name(),
                nameOf(space) + " between elements as XML",
                () -> asXml(seed.json()).replaceFirst("(<Bundle[^>]*>)", "$1" + space)));
      }
    }

    for (Location at : locations) {
      String where = at.path;
      add.accept(variant(root, "drop " + where, r -> at.remove(r)));
      if (at.inArray) {
        add.accept(variant(root, "duplicate " + where, r -> at.duplicate(r)));
      } else if (at.node.isObject()) {
        add.accept(variant(root, "repeat " + where, r -> at.wrapInArray(r)));
      }
      if (at.node.isTextual()) {
        String key = at.key;
        String value = at.node.asText();
        add.accept(variant(root, "empty " + where, r -> at.set(r, TextNode.valueOf(""))));
        if ("code".equals(key)) {
          add.accept(
              variant(
                  root, "unknown code " + where, r -> at.set(r, TextNode.valueOf("not-a-code"))));
        } else if ("system".equals(key)) {
          add.accept(
              variant(
                  root,
                  "unknown system " + where,
                  r -> at.set(r, TextNode.valueOf("http://example.org/unknown-system"))));
        } else if ("reference".equals(key)) {
          add.accept(
              variant(
                  root,
                  "dangling reference " + where,
                  r ->
                      at.set(
                          r,
                          TextNode.valueOf(
                              UUID.matcher(value)
                                  .replaceAll("0badc0de-0000-4000-8000-000000000000")))));
          add.accept(
              variant(
                  root,
                  "reference to another type " + where,
                  r ->
                      at.set(
                          r, TextNode.valueOf(value.replaceFirst("^[A-Za-z]+/", "Observation/")))));
        } else if ("profile".equals(key) || "definition".equals(key) || "url".equals(key)) {
          add.accept(
              variant(
                  root,
                  "wrong canonical " + where,
                  r -> at.set(r, TextNode.valueOf(value + "-wrong"))));
        } else if ("div".equals(key)) {
          add.accept(
              variant(
                  root,
                  "narrative with script " + where,
                  r ->
                      at.set(
                          r,
                          TextNode.valueOf(value.replace("</div>", "<script>x</script></div>")))));
          add.accept(
              variant(
                  root,
                  "narrative with other text " + where,
                  r ->
                      at.set(
                          r,
                          TextNode.valueOf(value.replaceAll(">([^<]{3,})<", ">Ændret tekst<")))));
        } else if (Fingerprint.TEXT_KEYS.contains(key)) {
          add.accept(
              variant(
                  root,
                  "text with leading space " + where,
                  r -> at.set(r, TextNode.valueOf(" " + value))));
          add.accept(
              variant(
                  root,
                  "text with control character " + where,
                  r -> at.set(r, TextNode.valueOf(value + "\u0007x"))));
          add.accept(
              variant(
                  root,
                  "text with markup " + where,
                  r -> at.set(r, TextNode.valueOf("<b>" + value + "</b>"))));
          add.accept(
              variant(
                  root,
                  "other text " + where,
                  r -> at.set(r, TextNode.valueOf("Helt anden tekst"))));
          add.accept(
              variant(
                  root,
                  "text with line breaks " + where,
                  r -> at.set(r, TextNode.valueOf(value + "\n\nx\r\n\ty"))));
          add.accept(
              variant(
                  root,
                  "text ending in a line break " + where,
                  r -> at.set(r, TextNode.valueOf(value + "\n"))));
        } else if ("type".equals(key)
            || "status".equals(key)
            || "use".equals(key)
            || "mode".equals(key)) {
          add.accept(
              variant(
                  root,
                  "wrong fixed value " + where,
                  r -> at.set(r, TextNode.valueOf("collection"))));
        }
        if (INSTANT.matcher(value).matches()) {
          add.accept(
              variant(
                  root,
                  "instant without zone " + where,
                  r ->
                      at.set(r, TextNode.valueOf(value.replaceAll("(Z|[+-]\\d{2}:\\d{2})$", "")))));
          add.accept(
              variant(
                  root,
                  "impossible instant " + where,
                  r -> at.set(r, TextNode.valueOf(value.replaceFirst("-\\d{2}-", "-13-")))));
          add.accept(
              variant(
                  root,
                  "date only " + where,
                  r -> at.set(r, TextNode.valueOf(value.substring(0, 10)))));
        }
        if (value.matches("\\d{10}")) {
          add.accept(
              variant(
                  root,
                  "bad CPR " + where,
                  r ->
                      at.set(
                          r, TextNode.valueOf(value.substring(0, 2) + "13" + value.substring(4)))));
          add.accept(
              variant(
                  root,
                  "CPR too short " + where,
                  r -> at.set(r, TextNode.valueOf(value.substring(1)))));
          add.accept(
              variant(
                  root,
                  "other valid CPR " + where,
                  r -> at.set(r, TextNode.valueOf("0207964127"))));
          add.accept(
              variant(
                  root,
                  "CPR of 29 February in a common year " + where,
                  r -> at.set(r, TextNode.valueOf("2902011234"))));
        }
        if (UUID.matcher(value).find() && !"reference".equals(key)) {
          add.accept(
              variant(
                  root,
                  "upper-case UUID " + where,
                  r -> at.set(r, TextNode.valueOf(value.toUpperCase()))));
        }
      }
      if (at.node.isObject()
          && (at.node.has("resourceType") || at.node.has("url") || at.node.has("coding"))) {
        add.accept(
            variant(
                root,
                "unknown extension on " + where,
                r -> {
                  ObjectNode target = (ObjectNode) at.find(r);
                  ArrayNode extensions =
                      target.has("extension") && target.get("extension").isArray()
                          ? (ArrayNode) target.get("extension")
                          : target.putArray("extension");
                  extensions.addObject().put("url", UNKNOWN_EXTENSION).put("valueString", "x");
                }));
      }
    }
    JsonNode entries = root.get("entry");
    if (entries != null && entries.isArray()) {
      for (int i = 0; i + 1 < entries.size(); i++) {
        int first = i;
        add.accept(
            variant(
                root,
                "entries " + first + " and " + (first + 1) + " swapped",
                r -> {
                  ArrayNode e = (ArrayNode) r.get("entry");
                  JsonNode a = e.get(first);
                  e.set(first, e.get(first + 1));
                  e.set(first + 1, a);
                }));
      }
    }
  }

  private static String asXml(String json) {
    return FHIR.newXmlParser()
        .setPrettyPrint(true)
        .encodeResourceToString(FHIR.newJsonParser().parseResource(json));
  }

  // ---- mutation plumbing

  /** A mutant's name and how to make it: the seed's tree is only read, each build copies it. */
  private record Mutant(String name, Supplier<String> json) {}

  private static Mutant variant(ObjectNode root, String name, Consumer<ObjectNode> change) {
    return new Mutant(
        name,
        () -> {
          ObjectNode copy = root.deepCopy();
          change.accept(copy);
          try {
            return JSON.writeValueAsString(copy);
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        });
  }

  /**
   * A node in the tree: its parent's path steps, so a copy of the tree can be changed at the same
   * place.
   */
  private static final class Location {
    final String path;
    final List<Object> steps;
    final String key;
    final JsonNode node;
    final boolean inArray;

    Location(String path, List<Object> steps, String key, JsonNode node, boolean inArray) {
      this.path = path;
      this.steps = steps;
      this.key = key;
      this.node = node;
      this.inArray = inArray;
    }

    JsonNode parent(JsonNode root) {
      JsonNode at = root;
      for (int i = 0; i < steps.size() - 1; i++) {
        Object step = steps.get(i);
        at = step instanceof Integer n ? at.get(n) : at.get((String) step);
      }
      return at;
    }

    JsonNode find(JsonNode root) {
      Object last = steps.get(steps.size() - 1);
      JsonNode parent = parent(root);
      return last instanceof Integer n ? parent.get(n) : parent.get((String) last);
    }

    void remove(JsonNode root) {
      Object last = steps.get(steps.size() - 1);
      JsonNode parent = parent(root);
      if (last instanceof Integer n) {
        ((ArrayNode) parent).remove(n);
      } else {
        ((ObjectNode) parent).remove((String) last);
      }
    }

    void set(JsonNode root, JsonNode value) {
      Object last = steps.get(steps.size() - 1);
      JsonNode parent = parent(root);
      if (last instanceof Integer n) {
        ((ArrayNode) parent).set(n, value);
      } else {
        ((ObjectNode) parent).set((String) last, value);
      }
    }

    void duplicate(JsonNode root) {
      int n = (Integer) steps.get(steps.size() - 1);
      ArrayNode parent = (ArrayNode) parent(root);
      parent.insert(n + 1, parent.get(n).deepCopy());
    }

    void wrapInArray(JsonNode root) {
      String last = (String) steps.get(steps.size() - 1);
      ObjectNode parent = (ObjectNode) parent(root);
      ArrayNode twice =
          JSON.createArrayNode().add(parent.get(last).deepCopy()).add(parent.get(last).deepCopy());
      parent.set(last, twice);
    }
  }

  private static void walk(JsonNode node, String path, List<Location> out) {
    walk(node, path, new ArrayList<>(), null, out);
  }

  private static void walk(
      JsonNode node, String path, List<Object> steps, String key, List<Location> out) {
    if (node.isObject()) {
      Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
      while (fields.hasNext()) {
        Map.Entry<String, JsonNode> field = fields.next();
        if (steps.isEmpty() && "resourceType".equals(field.getKey())) {
          continue;
        }
        List<Object> next = new ArrayList<>(steps);
        next.add(field.getKey());
        String childPath = path + "." + field.getKey();
        if (!field.getValue().isArray()) {
          out.add(new Location(childPath, next, field.getKey(), field.getValue(), false));
        }
        walk(field.getValue(), childPath, next, field.getKey(), out);
      }
    } else if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        List<Object> next = new ArrayList<>(steps);
        next.add(i);
        String childPath = path + "[" + i + "]";
        out.add(new Location(childPath, next, key, node.get(i), true));
        walk(node.get(i), childPath, next, key, out);
      }
    }
  }

  private static ObjectNode read(String json) {
    try {
      return (ObjectNode) JSON.readTree(json);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void eachText(JsonNode node, String key, TextRewrite rewrite) {
    if (node.isObject()) {
      ObjectNode object = (ObjectNode) node;
      List<String> names = new ArrayList<>();
      object.fieldNames().forEachRemaining(names::add);
      for (String name : names) {
        JsonNode child = object.get(name);
        if (child.isTextual()) {
          String changed = rewrite.apply(name, child.asText(), object);
          if (changed != null) {
            object.put(name, changed);
          }
        } else {
          eachText(child, name, rewrite);
        }
      }
    } else if (node.isArray()) {
      ArrayNode array = (ArrayNode) node;
      for (int i = 0; i < array.size(); i++) {
        JsonNode child = array.get(i);
        if (child.isTextual()) {
          String changed = rewrite.apply(key, child.asText(), null);
          if (changed != null) {
            array.set(i, TextNode.valueOf(changed));
          }
        } else {
          eachText(child, key, rewrite);
        }
      }
    }
  }

  private interface TextRewrite {
    /** The new value, or null to keep it. */
    String apply(String key, String value, ObjectNode owner);
  }

  private static void renameUuids(ObjectNode root, Random random) {
    Map<String, String> renamed = new LinkedHashMap<>();
    eachText(
        root,
        null,
        (key, value, owner) -> {
          Matcher m = UUID.matcher(value);
          StringBuilder out = new StringBuilder();
          while (m.find()) {
            String fresh =
                renamed.computeIfAbsent(
                    m.group(), u -> new UUID(random.nextLong(), random.nextLong()).toString());
            m.appendReplacement(out, fresh);
          }
          m.appendTail(out);
          return out.toString();
        });
  }

  // Each distinct text gets its own new text, so which texts equal each other stays as it was (the
  // fingerprint keeps that) and the variant stays value-only.
  private static void rewriteTexts(ObjectNode root, String text) {
    eachDistinctText(root, (value, number) -> text + " " + (number + 1));
  }

  private static void rewriteCpr(ObjectNode root, String cpr) {
    eachText(
        root,
        null,
        (key, value, owner) ->
            "value".equals(key)
                    && owner != null
                    && owner.has("system")
                    && Fingerprint.CPR_SYSTEM.equals(owner.get("system").asText())
                ? cpr
                : null);
  }

  private static void rewriteInstants(ObjectNode root, UnaryOperator<String> change) {
    eachText(
        root,
        null,
        (key, value, owner) -> INSTANT.matcher(value).matches() ? change.apply(value) : null);
  }

  private static String nameOf(String space) {
    return space.equals("\u3000") ? "ideographic space" : "line separator";
  }

  /** The instant or date {@code years} later, written as it was. */
  static String yearsLater(String value, int years) {
    return (Integer.parseInt(value.substring(0, 4)) + years) + value.substring(4);
  }

  /**
   * Every full date and instant in an encoded message (JSON or XML) {@code years} later, so their
   * order stays as it was.
   */
  static String yearsLaterInMessage(String message, int years) {
    Matcher m = YEAR_IN_MESSAGE.matcher(message);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      m.appendReplacement(
          out,
          Matcher.quoteReplacement(
              m.group(1) + (Integer.parseInt(m.group(2)) + years) + m.group(3)));
    }
    m.appendTail(out);
    return out.toString();
  }

  /** Every free text in an encoded message (JSON or XML) changed by {@code change}. */
  static String rewriteTextValues(String message, UnaryOperator<String> change) {
    Matcher m = TEXT_IN_MESSAGE.matcher(message);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      m.appendReplacement(
          out, Matcher.quoteReplacement(m.group(1) + change.apply(m.group(2)) + "\""));
    }
    m.appendTail(out);
    return out.toString();
  }

  /**
   * Each distinct free text changed by {@code change} (given the text and its number), so which
   * texts equal each other stays as it was.
   */
  private static void eachDistinctText(
      ObjectNode root, BiFunction<String, Integer, String> change) {
    Map<String, String> renamed = new LinkedHashMap<>();
    eachText(
        root,
        null,
        (key, value, owner) ->
            Fingerprint.TEXT_KEYS.contains(key) && !value.isBlank()
                ? renamed.computeIfAbsent(value, v -> change.apply(v, renamed.size()))
                : null);
  }

  private static String shiftHour(String instant) {
    return OffsetDateTime.parse(instant)
        .plusHours(1)
        .format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
  }

  private static void swapInstants(ObjectNode root) {
    List<String> seen = new ArrayList<>();
    eachText(
        root,
        null,
        (key, value, owner) -> {
          if (INSTANT.matcher(value).matches()) {
            seen.add(value);
          }
          return null;
        });
    if (seen.size() < 2) {
      return;
    }
    String first = seen.get(0);
    String last = seen.get(seen.size() - 1);
    eachText(
        root,
        null,
        (key, value, owner) -> value.equals(first) ? last : value.equals(last) ? first : null);
  }
}
