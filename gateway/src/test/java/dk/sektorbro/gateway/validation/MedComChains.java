package dk.sektorbro.gateway.validation;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import dk.sektorbro.gateway.support.GatewayIntegrationTest;
import java.nio.file.Path;

/**
 * The official MedCom chains, loaded once per test JVM (loading and snapshotting take seconds) and
 * shared with every application context of the JVM that uses the same folders. Reads the packages
 * in place from ../shared; a missing folder fails the tests rather than skipping them, so CI cannot
 * pass without the packages.
 */
public final class MedComChains {

  public static final Path PACKAGES =
      Path.of(
          System.getProperty("medcom.packages", GatewayIntegrationTest.MEDCOM_PACKAGES.toString()));

  /** The suite's one conformance cache (the build sets it: target/conformance-cache). */
  public static final Path CACHE =
      System.getProperty("gateway.conformance.cache-dir") == null
          ? null
          : Path.of(System.getProperty("gateway.conformance.cache-dir"));

  private MedComChains() {}

  public static ConformanceChains get() {
    return Holder.CHAINS;
  }

  private static final class Holder {
    static final ConformanceChains CHAINS = load();

    private static ConformanceChains load() {
      ConformanceChains chains =
          ConformanceChains.shared(
              FhirContext.forR4Cached(),
              new ConformanceProperties(
                  PACKAGES, GatewayIntegrationTest.REPO.resolve("profiles"), CACHE));
      assertThat(chains.missingPackages())
          .as("MedCom packages in %s", PACKAGES.toAbsolutePath().normalize())
          .isEmpty();
      return chains;
    }
  }
}
