package dk.sektorbro.gateway.validation;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.support.IValidationSupport;
import java.util.List;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.CodeSystem;
import org.hl7.fhir.r4.model.MetadataResource;
import org.hl7.fhir.r4.model.StructureDefinition;
import org.hl7.fhir.r4.model.ValueSet;

/**
 * Resolves versioned canonicals ({@code url|version}). MedCom profiles point at core types as
 * {@code http://hl7.org/fhir/StructureDefinition/Organization|4.0.1} and at their own resources as
 * {@code ...|3.0.1}; document profiles even use partial versions ({@code |1.0} for 1.0.0). HAPI's
 * supports look canonicals up unversioned, so without this every MedCom message fails with "Unable
 * to resolve the profile reference". Sits first in the chain and asks the definition supports
 * (never the chain itself, so it cannot recurse) for the unversioned URL.
 *
 * <p>Version-tolerant within a major.minor: MedCom's own fixtures state {@code |5.0.1} and {@code
 * |4.0.1} where the published, loaded packages are 5.0.2 and 4.0.2, and MedCom's terminology
 * governance makes receivers accept patch-level changes without notice. A stated {@code x.y.z}
 * therefore resolves to the loaded {@code x.y.*}; never to another major.minor.
 */
final class VersionedCanonicalSupport implements IValidationSupport {

  private final FhirContext fhir;
  private final List<IValidationSupport> definitions;

  VersionedCanonicalSupport(FhirContext fhir, List<IValidationSupport> definitions) {
    this.fhir = fhir;
    this.definitions = List.copyOf(definitions);
  }

  @Override
  public FhirContext getFhirContext() {
    return fhir;
  }

  @Override
  public String getName() {
    return "versioned canonicals";
  }

  @Override
  public IBaseResource fetchStructureDefinition(String url) {
    return fetchResource(StructureDefinition.class, url);
  }

  @Override
  public IBaseResource fetchValueSet(String url) {
    return fetchResource(ValueSet.class, url);
  }

  @Override
  public IBaseResource fetchCodeSystem(String url) {
    return fetchResource(CodeSystem.class, url);
  }

  @Override
  public <T extends IBaseResource> T fetchResource(Class<T> type, String uri) {
    int bar = uri == null ? -1 : uri.indexOf('|');
    if (bar < 0 || type == null) {
      return null;
    }
    String url = uri.substring(0, bar);
    String version = uri.substring(bar + 1);
    for (IValidationSupport support : definitions) {
      T found = support.fetchResource(type, url);
      if (found != null && matches(found, version)) {
        return found;
      }
    }
    return null;
  }

  /**
   * Exact version; a partial one ("1.0" matches 1.0.0 and 1.0.3, not 1.1.0 or 1.0x); or another
   * patch of the same major.minor ("5.0.1" matches 5.0.2, not 5.1.0 or 4.0.1).
   */
  static boolean matches(IBaseResource resource, String wanted) {
    String actual = resource instanceof MetadataResource m ? m.getVersion() : null;
    if (actual == null || wanted.isBlank()) {
      return false;
    }
    return actual.equals(wanted)
        || actual.startsWith(wanted + ".")
        || (majorMinor(wanted) != null && majorMinor(wanted).equals(majorMinor(actual)));
  }

  /** "5.0" of "5.0.1"; null unless the version is major.minor.patch (digits). */
  private static String majorMinor(String version) {
    String[] parts = version.split("\\.");
    if (parts.length != 3 || !version.matches("\\d+\\.\\d+\\.\\d+")) {
      return null;
    }
    return parts[0] + "." + parts[1];
  }
}
