package dk.sektorbro.gateway.validation;

import org.hl7.fhir.utilities.http.ManagedWebAccess;
import org.hl7.fhir.utilities.http.ManagedWebAccess.WebAccessPolicy;

/**
 * Keeps HAPI's core library (org.hl7.fhir.*) off the network. It reaches for the web on its own:
 * StructureDefinitionValidator, checking an extension's element context, takes the R4 context
 * ("4.0.1") for another version than "4.0" and asks FilesystemPackageCacheManager for the package
 * hl7.fhir.r4.core, whose servers are packages.fhir.org, packages2.fhir.org and build.fhir.org. The
 * gateway validates only with the packages it is given: a gateway in a hospital network must not
 * call out to a registry, and its tests must not depend on one. The library routes its web access
 * through {@link ManagedWebAccess}, whose policy is JVM-wide.
 */
final class OfflineHapi {

  private OfflineHapi() {}

  static void prohibitNetworkAccess() {
    ManagedWebAccess.setAccessPolicy(WebAccessPolicy.PROHIBITED);
  }
}
