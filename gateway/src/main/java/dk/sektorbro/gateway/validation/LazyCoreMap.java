package dk.sektorbro.gateway.validation;

import ca.uhn.fhir.context.FhirContext;
import java.nio.charset.StandardCharsets;
import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.hl7.fhir.instance.model.api.IBaseResource;

/**
 * One of HAPI's R4 core maps (canonical URL to resource) read from the conformance cache, whose
 * values are parsed on first use: the start reads the keys and each resource's JSON, and parses
 * only what validation asks for. Of the R4 core's about 3,700 resources a start parsed every one
 * (about 5 s of CPU on a 2-core machine, beside Spring and the JIT, docs/benchmarks.md "Issue 14,
 * seventh session"); most code systems and value sets are never asked for.
 *
 * <p>HAPI reads its maps with {@code get} (a lookup by URL) and {@code values} (fetch all): both go
 * through {@link Slot#resource}, which parses under the slot's lock, so each resource is parsed
 * exactly once and every thread gets the same instance, as from HAPI's eager maps. The key set and
 * its iteration order are fixed when the map is built (a {@link HashMap} filled in the file's
 * order, as {@link CoreCache#install} fills HAPI's own), so {@code values} iterates as before. The
 * JSON of a resource is dropped once it is parsed.
 */
final class LazyCoreMap extends AbstractMap<String, IBaseResource> {

  private final Map<String, Slot> slots;
  private final Set<Entry<String, IBaseResource>> entries = new Entries();

  private LazyCoreMap(Map<String, Slot> slots) {
    this.slots = slots;
  }

  /** Builds the map of one core map's resources, in order; {@code userData} is set on each. */
  static Builder builder(FhirContext fhir, String userDataKey, Object userData) {
    return new Builder(fhir, userDataKey, userData);
  }

  static final class Builder {
    private final FhirContext fhir;
    private final String userDataKey;
    private final Object userData;
    private final Map<String, Slot> slots = new HashMap<>();

    private Builder(FhirContext fhir, String userDataKey, Object userData) {
      this.fhir = fhir;
      this.userDataKey = userDataKey;
      this.userData = userData;
    }

    /** Adds the resource under its canonical URL as HAPI keys it; a later duplicate replaces. */
    Builder add(String key, String id, byte[] json) {
      slots.put(key, new Slot(fhir, id, json, userDataKey, userData));
      return this;
    }

    LazyCoreMap build() {
      return new LazyCoreMap(slots);
    }
  }

  /** How many values have been parsed so far (for the start-up log and tests). */
  int parsed() {
    int n = 0;
    for (Slot slot : slots.values()) {
      if (slot.isParsed()) {
        n++;
      }
    }
    return n;
  }

  /** How many resources all lazy maps of this JVM have parsed (start-up log). */
  static int parsedInJvm() {
    return Slot.PARSED.get();
  }

  @Override
  public IBaseResource get(Object key) {
    Slot slot = slots.get(key);
    return slot == null ? null : slot.resource();
  }

  @Override
  public boolean containsKey(Object key) {
    return slots.containsKey(key);
  }

  @Override
  public int size() {
    return slots.size();
  }

  /** The keys, without parsing any value. */
  @Override
  public Set<String> keySet() {
    return Collections.unmodifiableSet(slots.keySet());
  }

  @Override
  public Set<Entry<String, IBaseResource>> entrySet() {
    return entries;
  }

  private final class Entries extends AbstractSet<Entry<String, IBaseResource>> {
    @Override
    public Iterator<Entry<String, IBaseResource>> iterator() {
      Iterator<Entry<String, Slot>> it = slots.entrySet().iterator();
      return new Iterator<>() {
        @Override
        public boolean hasNext() {
          return it.hasNext();
        }

        @Override
        public Entry<String, IBaseResource> next() {
          Entry<String, Slot> e = it.next();
          return new LazyEntry(e.getKey(), e.getValue());
        }
      };
    }

    @Override
    public int size() {
      return slots.size();
    }
  }

  /**
   * An entry whose value is parsed when read, not when an iterator passes it; equal to any entry
   * with the same key and value, as {@link Map.Entry} requires.
   */
  private record LazyEntry(String key, Slot slot) implements Entry<String, IBaseResource> {
    @Override
    public String getKey() {
      return key;
    }

    @Override
    public IBaseResource getValue() {
      return slot.resource();
    }

    @Override
    public IBaseResource setValue(IBaseResource value) {
      throw new UnsupportedOperationException();
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Entry<?, ?> e
          && key.equals(e.getKey())
          && Objects.equals(getValue(), e.getValue());
    }

    @Override
    public int hashCode() {
      return key.hashCode() ^ Objects.hashCode(getValue());
    }
  }

  /** One resource: its JSON until first use, then the parsed resource. */
  private static final class Slot {
    static final AtomicInteger PARSED = new AtomicInteger();

    private final FhirContext fhir;
    private final String userDataKey;
    private final Object userData;
    private final String id;
    private byte[] json;
    private volatile IBaseResource resource;

    Slot(FhirContext fhir, String id, byte[] json, String userDataKey, Object userData) {
      this.fhir = fhir;
      this.id = id;
      this.json = json;
      this.userDataKey = userDataKey;
      this.userData = userData;
    }

    boolean isParsed() {
      return resource != null;
    }

    IBaseResource resource() {
      IBaseResource parsed = resource;
      if (parsed != null) {
        return parsed;
      }
      synchronized (this) {
        if (resource == null) {
          IBaseResource r =
              fhir.newJsonParser().parseResource(new String(json, StandardCharsets.UTF_8));
          if (!id.isEmpty()) {
            r.setId(id);
          }
          if (userData != null) {
            r.setUserData(userDataKey, userData);
          }
          resource = r;
          json = null;
          PARSED.incrementAndGet();
        }
        return resource;
      }
    }
  }
}
