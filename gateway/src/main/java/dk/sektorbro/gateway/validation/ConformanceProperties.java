package dk.sektorbro.gateway.validation;

import jakarta.validation.constraints.NotNull;
import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Where the validator finds its conformance resources.
 *
 * @param packageDir folder with the official FHIR NPM packages ({@code .tgz}); unset means no
 *     MedCom packages: messages are then checked against base R4 and {@code profilesDir} only
 * @param profilesDir the gateway's own StructureDefinitions, ValueSets and CodeSystems (JSON); by
 *     default the ones shipped in the jar
 */
@Validated
@ConfigurationProperties("gateway.conformance")
public record ConformanceProperties(Path packageDir, @NotNull @DefaultValue("classpath:shipped/profiles") Path profilesDir) {

  public boolean packagesConfigured() {
    return packageDir != null && !packageDir.toString().isBlank();
  }
}
