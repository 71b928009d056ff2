package dk.sektorbro.gateway.validation;

import static org.assertj.core.api.Assertions.assertThat;

import dk.sektorbro.gateway.platform.PathSettings;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.bind.PropertySourcesPlaceholdersResolver;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.convert.ApplicationConversionService;
import org.springframework.mock.env.MockEnvironment;

/**
 * The preload thread must load the chains under the same key as the conformance bean, or a start
 * would load every package twice (and a test JVM keep both sets): its settings, read from the
 * environment, give the same package-set hash as the bound {@link ConformanceProperties}.
 */
class ConformancePreloadTest {

  @Test
  void preloadSettings_keyTheSameChains_asTheBoundProperties() {
    MockEnvironment packagesOnly =
        new MockEnvironment()
            .withProperty("gateway.conformance.package-dir", MedComChains.PACKAGES.toString());
    assertSameKey(packagesOnly);

    MockEnvironment relativeAndProfiles =
        new MockEnvironment()
            .withProperty("gateway.conformance.package-dir", "../shared/medcom/packages")
            .withProperty("gateway.conformance.profiles-dir", "src/test/resources")
            .withProperty("gateway.conformance.cache-dir", "target/conformance-cache");
    assertSameKey(relativeAndProfiles);

    MockEnvironment nothing = new MockEnvironment();
    assertSameKey(nothing);
    assertThat(ConformancePreload.settings(nothing).packagesConfigured()).isFalse();
  }

  private static void assertSameKey(MockEnvironment environment) {
    Binder binder =
        new Binder(
            ConfigurationPropertySources.get(environment),
            new PropertySourcesPlaceholdersResolver(environment),
            ApplicationConversionService.getSharedInstance(),
            registry -> registry.registerCustomEditor(Path.class, new PathSettings.Editor()));
    ConformanceProperties bound =
        binder.bindOrCreate("gateway.conformance", ConformanceProperties.class);
    assertThat(ConformanceChains.packageSetHash(ConformancePreload.settings(environment)))
        .isEqualTo(ConformanceChains.packageSetHash(bound));
    assertThat(ConformancePreload.settings(environment).cacheDir()).isEqualTo(bound.cacheDir());
  }
}
