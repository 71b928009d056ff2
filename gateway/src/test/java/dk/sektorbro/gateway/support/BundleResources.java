package dk.sektorbro.gateway.support;

import java.util.List;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Resource;

/** The resources of one type among a Bundle's entries, for tests that look inside a message. */
public final class BundleResources {

  private BundleResources() {}

  /** The entries' resources of {@code type}, in entry order. */
  public static <T> List<T> resources(Bundle bundle, Class<T> type) {
    return bundle.getEntry().stream()
        .map(Bundle.BundleEntryComponent::getResource)
        .filter(type::isInstance)
        .map(type::cast)
        .toList();
  }

  /** The first entry's resource of {@code type}; there must be one. */
  public static <T> T first(Bundle bundle, Class<T> type) {
    return resources(bundle, type).stream().findFirst().orElseThrow();
  }

  /**
   * The entry's resource a reference such as {@code Organization/abc} points to; there must be one.
   */
  public static Resource resolve(Bundle bundle, String reference) {
    return resources(bundle, Resource.class).stream()
        .filter(r -> reference.equals(r.fhirType() + "/" + r.getIdPart()))
        .findFirst()
        .orElseThrow();
  }
}
