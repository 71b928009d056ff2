package dk.sektorbro.gateway.validation;

import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.ConstructorBinding;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Where the validator finds its conformance resources.
 *
 * @param packageDir folder with the official FHIR NPM packages ({@code .tgz}); unset means no
 *     MedCom packages: messages are then checked against base R4 and {@code profilesDir} only
 * @param profilesDir the gateway's own StructureDefinitions, ValueSets and CodeSystems (JSON); by
 *     default the ones shipped in the jar
 * @param mode which validator answers (see {@link Mode}; docs/validation.md)
 * @param shadowSample in shadow mode, the share of fast answers checked against HAPI (0–1)
 * @param fastMemory how many message templates the fast validator remembers per chain
 * @param cacheDir where the chains' parsed and stripped package resources are kept between starts
 *     ({@link ConformanceCache}); unset: read from the packages at every start
 * @param warmUp which chains are warmed up when the gateway has started (see {@link WarmUp};
 *     docs/validation.md)
 */
@Validated
@ConfigurationProperties("gateway.conformance")
public record ConformanceProperties(
    Path packageDir,
    @NotNull @DefaultValue("classpath:shipped/profiles") Path profilesDir,
    @NotNull @DefaultValue("fast") Mode mode,
    @DefaultValue("0.05") @DecimalMin("0") @DecimalMax("1") double shadowSample,
    @DefaultValue("10000") @Min(1) int fastMemory,
    Path cacheDir,
    @NotNull @DefaultValue("all") WarmUp warmUp) {

  /**
   * reference: HAPI validates every message; fast: a message whose fingerprint was seen valid gets
   * HAPI's findings from memory, every other message is validated by HAPI; shadow: fast, with a
   * sample of the fast answers checked against HAPI (disagreements counted, HAPI's verdict used).
   */
  public enum Mode {
    FAST,
    REFERENCE,
    SHADOW
  }

  /**
   * all: every chain is warmed up on the warm-up thread once the gateway has started, one after the
   * other; on-demand: only the chain of the gateway's own message (CareCommunication, or the base
   * R4 fallback without its package), the others by the first message that needs them, on that
   * message's thread, while the chain's other messages wait (a gateway that never sees an
   * Acknowledgement spends no CPU on that chain).
   */
  public enum WarmUp {
    ALL,
    ON_DEMAND
  }

  @ConstructorBinding
  public ConformanceProperties {}

  /** All chains warmed up at start. */
  public ConformanceProperties(
      Path packageDir,
      Path profilesDir,
      Mode mode,
      double shadowSample,
      int fastMemory,
      Path cacheDir) {
    this(packageDir, profilesDir, mode, shadowSample, fastMemory, cacheDir, WarmUp.ALL);
  }

  /** Package and profile folders only; validation mode reference, no cache on disk. */
  public ConformanceProperties(Path packageDir, Path profilesDir) {
    this(packageDir, profilesDir, null);
  }

  /** Package, profile and cache folders; validation mode reference. */
  public ConformanceProperties(Path packageDir, Path profilesDir, Path cacheDir) {
    this(packageDir, profilesDir, Mode.REFERENCE, 0.05, 10_000, cacheDir);
  }

  public boolean packagesConfigured() {
    return packageDir != null && !packageDir.toString().isBlank();
  }
}
