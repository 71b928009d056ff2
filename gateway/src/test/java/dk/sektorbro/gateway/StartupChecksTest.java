package dk.sektorbro.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dk.sektorbro.gateway.platform.PathSettings;
import dk.sektorbro.gateway.platform.PathSettingsConfiguration;
import dk.sektorbro.gateway.validation.ConformanceProperties;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.context.ConfigurationPropertiesAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

// Starts the application (and sees it refuse to start): runs in verify, not in ./mvnw test.
@Tag("integration")
class StartupChecksTest {

  @TempDir Path temp;

  @Configuration(proxyBeanMethods = false)
  @EnableConfigurationProperties(ConformanceProperties.class)
  @Import(PathSettingsConfiguration.class)
  static class Conformance {}

  @Test
  void aRelativePathBindsAsAPathRelativeToTheWorkingDirectory() {
    new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(ConfigurationPropertiesAutoConfiguration.class))
        .withUserConfiguration(Conformance.class)
        .withPropertyValues(
            "gateway.conformance.package-dir=../shared/medcom/packages",
            "gateway.conformance.profiles-dir=profiles")
        .run(
            context -> {
              assertThat(context).hasNotFailed();
              ConformanceProperties properties = context.getBean(ConformanceProperties.class);
              assertThat(properties.packageDir()).isEqualTo(Path.of("../shared/medcom/packages"));
              assertThat(properties.profilesDir()).isEqualTo(Path.of("profiles"));
              assertThat(properties.packageDir().toAbsolutePath().normalize())
                  .isEqualTo(
                      Path.of("").toAbsolutePath().getParent().resolve("shared/medcom/packages"));
            });
  }

  @Test
  void theShippedDefaultsAreInTheBuild() {
    Path mappings = PathSettings.toPath("classpath:shipped/mappings");
    assertThat(mappings.resolve("nordby-socialpsykiatri.yaml")).isRegularFile();
    assertThat(PathSettings.toPath("classpath:shipped/registry/synthetic-sor.xml")).isRegularFile();
    assertThat(PathSettings.toPath("classpath:shipped/profiles"))
        .isDirectoryContaining("glob:**/*.json");
  }

  @Test
  void shippedFoldersInsideAJarAreCopiedOutAsFiles() throws IOException {
    Path jar = temp.resolve("shipped.jar");
    try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
      out.putNextEntry(new JarEntry("testshipped/"));
      out.putNextEntry(new JarEntry("testshipped/folder/"));
      entry(out, "testshipped/folder/a.yaml", "a: 1");
      out.putNextEntry(new JarEntry("testshipped/folder/sub/"));
      entry(out, "testshipped/folder/sub/b.json", "{}");
      entry(out, "testshipped/single.xml", "<x/>");
    }
    ClassLoader previous = Thread.currentThread().getContextClassLoader();
    try (URLClassLoader loader = new URLClassLoader(new URL[] {jar.toUri().toURL()}, previous)) {
      Thread.currentThread().setContextClassLoader(loader);
      Path folder = PathSettings.toPath("classpath:testshipped/folder");
      assertThat(folder).isDirectory();
      assertThat(folder.resolve("a.yaml")).hasContent("a: 1");
      assertThat(folder.resolve("sub/b.json")).hasContent("{}");
      assertThat(PathSettings.toPath("classpath:testshipped/single.xml")).hasContent("<x/>");
    } finally {
      Thread.currentThread().setContextClassLoader(previous);
    }
  }

  @Test
  void everyMissingOrUnusablePathIsOneLineNamingTheSettingAndThePath() throws IOException {
    Path emptyPackages = Files.createDirectory(temp.resolve("packages"));
    Path notAFolder = Files.writeString(temp.resolve("file"), "x");
    List<String> problems =
        StartupChecks.check(
            environment(
                Map.of(
                    "gateway.data-dir", temp.resolve("data").toString(),
                    "gateway.mappings-dir", "no-such-mappings",
                    "gateway.conformance.profiles-dir", notAFolder.toString(),
                    "gateway.conformance.package-dir", emptyPackages.toString(),
                    "gateway.addressing.bootstrap-file", temp.resolve("missing-sor.xml").toString(),
                    "gateway.delivery.signing.key-store", "keys/none.p12")));

    Path cwd = Path.of("").toAbsolutePath();
    assertThat(problems)
        .containsExactlyInAnyOrder(
            "gateway.mappings-dir=" + cwd.resolve("no-such-mappings") + ": folder not found",
            "gateway.conformance.profiles-dir=" + notAFolder + ": folder not found",
            "gateway.conformance.package-dir="
                + emptyPackages
                + ": none of the MedCom packages is there (expected e.g. medcom.fhir.dk.carecommunication-5.0.2.tgz)",
            "gateway.addressing.bootstrap-file="
                + temp.resolve("missing-sor.xml")
                + ": file not found",
            "gateway.delivery.signing.key-store="
                + cwd.resolve("keys/none.p12")
                + ": file not found");
    assertThat(temp.resolve("data")).isDirectory();
  }

  @Test
  void anInvalidMappingIsReportedWithItsFile() throws IOException {
    Path mappings = Files.createDirectory(temp.resolve("mappings"));
    Files.writeString(mappings.resolve("broken.yaml"), "source: other\n");
    List<String> problems =
        StartupChecks.check(
            environment(
                Map.of(
                    "gateway.data-dir", temp.resolve("data").toString(),
                    "gateway.mappings-dir", mappings.toString(),
                    "gateway.conformance.profiles-dir", "classpath:shipped/profiles")));
    assertThat(problems)
        .singleElement()
        .asString()
        .startsWith("gateway.mappings-dir=" + mappings + ": mapping broken.yaml");
  }

  @Test
  void theRealGatewayAndTheShippedDefaultsPassWithTheOfficialPackages() {
    List<String> problems =
        StartupChecks.check(
            environment(
                Map.of(
                    "gateway.data-dir", temp.resolve("data").toString(),
                    "gateway.mappings-dir", "classpath:shipped/mappings",
                    "gateway.conformance.profiles-dir", "classpath:shipped/profiles",
                    "gateway.conformance.package-dir", "../../shared/medcom/packages",
                    "gateway.addressing.bootstrap-file",
                        "classpath:shipped/registry/synthetic-sor.xml")));
    assertThat(problems).isEmpty();
  }

  @Test
  void theGatewayStopsBeforeBuildingAnythingWhenAFolderIsMissing() {
    assertThatThrownBy(
            () ->
                new SpringApplicationBuilder(GatewayApplication.class)
                    .run(
                        "--gateway.data-dir=" + temp.resolve("data"),
                        "--gateway.mappings-dir=" + temp.resolve("nowhere"),
                        "--server.port=0"))
        .isInstanceOf(StartupChecks.InvalidSettings.class)
        .hasMessage("gateway.mappings-dir=" + temp.resolve("nowhere") + ": folder not found");
    // Nothing was started: the embedded database was never created in the data folder.
    assertThat(temp.resolve("data/db")).doesNotExist();
  }

  /**
   * A weak password chosen in the environment stops the start before anything is built, with one
   * line naming the variable; the password itself is in no line. Before, any password was taken.
   */
  @Test
  void theGatewayStopsBeforeBuildingAnythingWhenAChosenPasswordIsWeak() {
    assertThatThrownBy(
            () ->
                new SpringApplicationBuilder(GatewayApplication.class)
                    .run(
                        "--gateway.data-dir=" + temp.resolve("data"),
                        "--GATEWAY_ADMIN_PASSWORD=admin123",
                        "--server.port=0"))
        .isInstanceOf(StartupChecks.InvalidSettings.class)
        .hasMessage(
            "GATEWAY_ADMIN_PASSWORD: too short (8 characters, at least 12); choose a stronger one,"
                + " or unset it to have one generated into <data-dir>/credentials"
                + " (docs/operations.md)");
    assertThat(temp.resolve("data/db")).doesNotExist();
  }

  private static StandardEnvironment environment(Map<String, Object> properties) {
    StandardEnvironment environment = new StandardEnvironment();
    environment
        .getPropertySources()
        .addFirst(new MapPropertySource("test", new HashMap<>(properties)));
    return environment;
  }

  private static void entry(JarOutputStream out, String name, String content) throws IOException {
    out.putNextEntry(new JarEntry(name));
    OutputStream stream = out;
    stream.write(content.getBytes(StandardCharsets.UTF_8));
    out.closeEntry();
  }
}
