package dk.sektorbro.gateway.validation;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.support.DefaultProfileValidationSupport;
import ca.uhn.fhir.context.support.IValidationSupport;
import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The FHIR R4 core definitions HAPI's {@link DefaultProfileValidationSupport} holds, read from and
 * given back to it. HAPI loads them once per JVM from about 45 MB of XML bundles in its jar (the
 * largest share of loading the chains); its loader keeps them in three maps by canonical URL and
 * has no way to hand it maps from elsewhere, so they are read and set by reflection, as {@link
 * SharedOids} does. Everything else stays HAPI's own code (URL forms, lookups, locking), so the
 * chains see the same core. Where the fields are not there (another HAPI version) or HAPI has
 * loaded them already, nothing is set and HAPI loads from its jar as before: same verdicts, slower.
 */
final class CoreCache {

  private static final Logger log = LoggerFactory.getLogger(CoreCache.class);
  private static final List<String> MAPS =
      List.of("myStructureDefinitions", "myCodeSystems", "myValueSets");

  /** The user data HAPI's loader sets on every core StructureDefinition (its package). */
  static final String PACKAGE = "package";

  private CoreCache() {}

  /** The core's three maps (structure definitions, code systems, value sets), once HAPI loaded. */
  static Optional<List<Map<String, IBaseResource>>> maps(DefaultProfileValidationSupport core) {
    Object delegate = delegate(core);
    if (delegate == null) {
      return Optional.empty();
    }
    List<Map<String, IBaseResource>> maps = new ArrayList<>();
    synchronized (delegate) {
      for (String name : MAPS) {
        Map<String, IBaseResource> map = get(delegate, name);
        if (map == null) {
          return Optional.empty();
        }
        maps.add(map);
      }
    }
    return Optional.of(maps);
  }

  /**
   * Gives HAPI's loader the three maps, if it has loaded none yet; true if it took them. Each map
   * is keyed as HAPI keys it, by {@link DefaultProfileValidationSupport#getConformanceResourceUrl}.
   */
  static boolean install(
      DefaultProfileValidationSupport core,
      FhirContext fhir,
      List<List<IBaseResource>> resources,
      Object structurePackage) {
    if (resources.size() != MAPS.size()) {
      return false;
    }
    List<Map<String, IBaseResource>> maps = new ArrayList<>();
    for (int i = 0; i < MAPS.size(); i++) {
      Map<String, IBaseResource> map = new HashMap<>();
      for (IBaseResource resource : resources.get(i)) {
        if (i == 0 && structurePackage != null) {
          resource.setUserData(PACKAGE, structurePackage);
        }
        map.put(
            DefaultProfileValidationSupport.getConformanceResourceUrl(fhir, resource), resource);
      }
      maps.add(map);
    }
    return install(core, maps);
  }

  /**
   * Gives HAPI's loader the three maps as they are (structure definitions, code systems, value
   * sets; keyed as HAPI keys them), if it has loaded none yet; true if it took them.
   */
  static boolean install(
      DefaultProfileValidationSupport core, List<? extends Map<String, IBaseResource>> maps) {
    Object delegate = delegate(core);
    if (delegate == null || maps.size() != MAPS.size()) {
      return false;
    }
    synchronized (delegate) {
      for (String name : MAPS) {
        if (get(delegate, name) != null) {
          return false;
        }
      }
      for (int i = 0; i < MAPS.size(); i++) {
        if (!set(delegate, MAPS.get(i), maps.get(i))) {
          return false;
        }
      }
    }
    return true;
  }

  /**
   * Whether HAPI's core holds maps read lazily from the cache ({@link LazyCoreMap}): already as
   * lean as the cache wrote them, so nothing needs fetching or stripping.
   */
  static boolean lazy(DefaultProfileValidationSupport core) {
    return maps(core).map(m -> m.stream().allMatch(LazyCoreMap.class::isInstance)).orElse(false);
  }

  /**
   * The maps' resources in order, if every one is keyed by its own canonical URL (so {@link
   * #install} rebuilds the same maps) and all structure definitions carry the same package.
   */
  static Optional<Snapshot> snapshot(DefaultProfileValidationSupport core, FhirContext fhir) {
    Optional<List<Map<String, IBaseResource>>> maps = maps(core);
    if (maps.isEmpty()) {
      return Optional.empty();
    }
    List<List<IBaseResource>> lists = new ArrayList<>();
    Object structurePackage = null;
    boolean first = true;
    for (Map<String, IBaseResource> map : maps.get()) {
      Map<String, IBaseResource> sorted = new LinkedHashMap<>(map);
      for (Map.Entry<String, IBaseResource> e : sorted.entrySet()) {
        if (!e.getKey()
            .equals(
                DefaultProfileValidationSupport.getConformanceResourceUrl(fhir, e.getValue()))) {
          return Optional.empty();
        }
        if (lists.isEmpty()) {
          Object p = e.getValue().getUserData(PACKAGE);
          if (first) {
            structurePackage = p;
            first = false;
          } else if (!Objects.equals(p, structurePackage)) {
            return Optional.empty();
          }
        }
      }
      lists.add(List.copyOf(sorted.values()));
    }
    return Optional.of(new Snapshot(lists, structurePackage));
  }

  record Snapshot(List<List<IBaseResource>> resources, Object structurePackage) {}

  private static Object delegate(DefaultProfileValidationSupport core) {
    try {
      Field field = DefaultProfileValidationSupport.class.getDeclaredField("myDelegate");
      field.setAccessible(true);
      Object delegate = field.get(core);
      if (!(delegate instanceof IValidationSupport)
          || !delegate
              .getClass()
              .getSimpleName()
              .equals("DefaultProfileValidationSupportBundleStrategy")) {
        return null;
      }
      for (String name : MAPS) {
        if (!Map.class.isAssignableFrom(delegate.getClass().getDeclaredField(name).getType())) {
          return null;
        }
      }
      return delegate;
    } catch (ReflectiveOperationException | RuntimeException e) {
      log.info(
          "HAPI's R4 core cannot be cached (another HAPI version?) cause={}",
          e.getClass().getSimpleName());
      return null;
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<String, IBaseResource> get(Object delegate, String name) {
    try {
      Field field = delegate.getClass().getDeclaredField(name);
      field.setAccessible(true);
      return (Map<String, IBaseResource>) field.get(delegate);
    } catch (ReflectiveOperationException | RuntimeException e) {
      return null;
    }
  }

  private static boolean set(Object delegate, String name, Map<String, IBaseResource> map) {
    try {
      Field field = delegate.getClass().getDeclaredField(name);
      field.setAccessible(true);
      field.set(delegate, map);
      return true;
    } catch (ReflectiveOperationException | RuntimeException e) {
      return false;
    }
  }
}
