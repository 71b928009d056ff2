package dk.sektorbro.gateway;

import dk.sektorbro.gateway.addressing.AddressingProperties;
import dk.sektorbro.gateway.delivery.settings.DeliveryProperties;
import dk.sektorbro.gateway.inbound.HandoverProperties;
import dk.sektorbro.gateway.intake.InboxTrust;
import dk.sektorbro.gateway.mapping.MappingRegistry;
import dk.sektorbro.gateway.platform.GatewayProperties;
import dk.sektorbro.gateway.platform.PathSettings;
import dk.sektorbro.gateway.retention.RetentionProperties;
import dk.sektorbro.gateway.security.ChosenPasswords;
import dk.sektorbro.gateway.validation.ChainDefinition;
import dk.sektorbro.gateway.validation.ConformanceProperties;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.bind.PropertySourcesPlaceholdersResolver;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.convert.ApplicationConversionService;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.ConfigurableEnvironment;

/**
 * Checks every folder and file the configuration names before any bean is built, so a wrong path
 * stops the start at once with one line per problem naming the setting and the absolute path,
 * instead of a stack trace after a minute of validator warm-up; so does a weak password chosen in
 * the environment ({@link ChosenPasswords}). Registered in {@code META-INF/spring.factories}.
 */
public class StartupChecks
    implements ApplicationContextInitializer<ConfigurableApplicationContext> {

  private static final Logger log = LoggerFactory.getLogger(StartupChecks.class);

  @Override
  public void initialize(ConfigurableApplicationContext context) {
    List<String> problems = check(context.getEnvironment());
    if (!problems.isEmpty()) {
      problems.forEach(p -> log.error("start-up check failed: {}", p));
      throw new InvalidSettings(problems);
    }
  }

  /** The problems found, one line each; empty when the gateway may start. */
  public static List<String> check(ConfigurableEnvironment environment) {
    Binder binder =
        new Binder(
            ConfigurationPropertySources.get(environment),
            new PropertySourcesPlaceholdersResolver(environment),
            ApplicationConversionService.getSharedInstance(),
            registry -> registry.registerCustomEditor(Path.class, new PathSettings.Editor()));
    List<String> problems = new ArrayList<>();
    GatewayProperties gateway = bind(binder, "gateway", GatewayProperties.class, problems);
    if (gateway != null) {
      writableFolder(problems, "gateway.data-dir", gateway.dataDir());
      if (readableFolder(problems, "gateway.mappings-dir", gateway.mappingsDir())) {
        try {
          Set<String> sources = MappingRegistry.load(gateway.mappingsDir()).keySet();
          problems.addAll(InboxTrust.problems(gateway.inboxDir(), sources));
          problems.addAll(ChosenPasswords.problems(environment, sources));
        } catch (MappingRegistry.InvalidMappingException e) {
          problems.add(describe("gateway.mappings-dir", gateway.mappingsDir(), e.getMessage()));
        }
      }
    }
    ConformanceProperties conformance =
        bind(binder, "gateway.conformance", ConformanceProperties.class, problems);
    if (conformance != null) {
      readableFolder(problems, "gateway.conformance.profiles-dir", conformance.profilesDir());
      if (conformance.packagesConfigured()) {
        packages(problems, conformance.packageDir());
      }
    }
    AddressingProperties addressing =
        bind(binder, "gateway.addressing", AddressingProperties.class, problems);
    if (addressing != null) {
      readableFile(problems, "gateway.addressing.bootstrap-file", addressing.bootstrapFile());
    }
    DeliveryProperties delivery =
        bind(binder, "gateway.delivery", DeliveryProperties.class, problems);
    if (delivery != null) {
      readableFile(problems, "gateway.delivery.http.trust-store", delivery.http().trustStore());
      readableFile(problems, "gateway.delivery.http.key-store", delivery.http().keyStore());
      readableFile(problems, "gateway.delivery.signing.key-store", delivery.signing().keyStore());
      readableFile(
          problems,
          "gateway.delivery.signing.trusted-certificates",
          delivery.signing().trustedCertificates());
      readableFile(
          problems,
          "gateway.delivery.default-route.encrypt-to",
          delivery.defaultRoute().encryptTo());
      delivery
          .recipients()
          .forEach(
              (gln, route) -> {
                readableFile(
                    problems,
                    "gateway.delivery.recipients." + gln + ".encrypt-to",
                    route.encryptTo());
                writableFolder(
                    problems, "gateway.delivery.recipients." + gln + ".postbox", route.postbox());
              });
    }
    HandoverProperties handover =
        bind(binder, "gateway.handover", HandoverProperties.class, problems);
    if (handover != null) {
      handover
          .systems()
          .forEach(
              (name, system) ->
                  writableFolder(
                      problems, "gateway.handover.systems." + name + ".folder", system.folder()));
    }
    RetentionProperties retention =
        bind(binder, "gateway.retention", RetentionProperties.class, problems);
    if (retention != null && retention.archive().enabled()) {
      writableFolder(problems, "gateway.retention.archive.dir", retention.archive().dir());
      if (retention.archive().keyFile() == null) {
        problems.add(
            "gateway.retention.archive.key-file: not set; the archive is encrypted with this key");
      } else {
        readableFile(problems, "gateway.retention.archive.key-file", retention.archive().keyFile());
      }
    }
    return problems;
  }

  private static <T> T bind(Binder binder, String prefix, Class<T> type, List<String> problems) {
    try {
      return binder.bindOrCreate(prefix, type);
    } catch (BindException e) {
      Throwable cause = e;
      while (cause.getCause() != null) {
        cause = cause.getCause();
      }
      String property = e.getProperty() == null ? prefix : e.getProperty().getName().toString();
      String value = e.getProperty() == null ? "" : "=" + e.getProperty().getValue();
      problems.add(property + value + ": " + cause.getMessage());
      return null;
    }
  }

  private static boolean readableFolder(List<String> problems, String setting, Path folder) {
    if (folder == null) {
      problems.add(setting + ": not set");
      return false;
    }
    if (!Files.isDirectory(folder)) {
      problems.add(describe(setting, folder, "folder not found"));
      return false;
    }
    if (!Files.isReadable(folder) || !Files.isExecutable(folder)) {
      problems.add(describe(setting, folder, "folder cannot be read by this user"));
      return false;
    }
    return true;
  }

  // Optional files: only checked when set.
  private static void readableFile(List<String> problems, String setting, Path file) {
    if (file == null) {
      return;
    }
    if (!Files.isRegularFile(file)) {
      problems.add(describe(setting, file, "file not found"));
    } else if (!Files.isReadable(file)) {
      problems.add(describe(setting, file, "file cannot be read by this user"));
    }
  }

  // Folders the gateway writes: created when missing; optional ones only checked when set.
  private static void writableFolder(List<String> problems, String setting, Path folder) {
    if (folder == null) {
      return;
    }
    try {
      Files.createDirectories(folder);
    } catch (IOException e) {
      problems.add(
          describe(
              setting, folder, "folder cannot be created (" + e.getClass().getSimpleName() + ")"));
      return;
    }
    if (!Files.isWritable(folder)) {
      problems.add(describe(setting, folder, "folder cannot be written by this user"));
    }
  }

  private static void packages(List<String> problems, Path dir) {
    if (!readableFolder(problems, "gateway.conformance.package-dir", dir)) {
      return;
    }
    List<String> known =
        ChainDefinition.ALL.stream().flatMap(c -> c.packageFiles().stream()).distinct().toList();
    List<String> present = known.stream().filter(f -> Files.isRegularFile(dir.resolve(f))).toList();
    if (present.isEmpty()) {
      problems.add(
          describe(
              "gateway.conformance.package-dir",
              dir,
              "none of the MedCom packages is there (expected e.g. " + known.get(0) + ")"));
    }
    present.stream()
        .filter(f -> !Files.isReadable(dir.resolve(f)))
        .forEach(
            f ->
                problems.add(
                    describe(
                        "gateway.conformance.package-dir",
                        dir.resolve(f),
                        "package cannot be read by this user")));
  }

  private static String describe(String setting, Path path, String problem) {
    return setting + "=" + path.toAbsolutePath().normalize() + ": " + problem;
  }

  /** Settings that name a missing or unreadable folder, file or package; stops the start. */
  public static class InvalidSettings extends RuntimeException {
    private final List<String> problems;

    public InvalidSettings(List<String> problems) {
      super(String.join("; ", problems));
      this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
      return problems;
    }
  }
}
