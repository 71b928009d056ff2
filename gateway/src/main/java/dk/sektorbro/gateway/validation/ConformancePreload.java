package dk.sektorbro.gateway.validation;

import ca.uhn.fhir.context.FhirContext;
import dk.sektorbro.gateway.platform.PathSettings;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;

/**
 * Starts loading the validation chains on a thread of their own as soon as the application context
 * refreshes, before any bean: the start-up measured on 2026-12-06 spent more than half of its time
 * there, one step after the other with the embedded database, Flyway, Spring and Tomcat on the main
 * thread (docs/benchmarks.md, "Issue 14, third session"). The conformance bean then only joins the
 * work ({@link ConformanceChains#shared} computes once per JVM, so a bean that gets there first
 * waits for this thread instead of loading again). Health is UP only once the chains are loaded,
 * because the context is not started before the bean has them.
 *
 * <p>Loading is single-threaded: one thread reads the conformance cache or the packages; nothing
 * runs on a worker thread.
 */
public final class ConformancePreload
    implements ApplicationContextInitializer<ConfigurableApplicationContext>, Ordered {

  private static final Logger log = LoggerFactory.getLogger(ConformancePreload.class);

  @Override
  public void initialize(ConfigurableApplicationContext context) {
    // At the start of the refresh, not now: initializers that run after this one (a test's
    // dynamic properties) may still set the package folder.
    context.addBeanFactoryPostProcessor(beans -> start(settings(context.getEnvironment())));
  }

  private static void start(ConformanceProperties properties) {
    Thread loader =
        new Thread(
            () -> {
              try {
                preload(properties);
              } catch (RuntimeException e) {
                // The conformance bean loads again on the main thread and reports the failure.
                log.warn(
                    "conformance preload failed, loading on the main thread: {}", e.toString());
              }
            },
            "conformance-preload");
    loader.setDaemon(true);
    loader.start();
  }

  /**
   * Loads the chains of this package set (once per JVM). The warm-up is not done here: it runs
   * after the conformance bean, off the path to ready, on one thread ({@link
   * ConformanceConfiguration}).
   */
  static void preload(ConformanceProperties properties) {
    ConformanceChains.shared(FhirContext.forR4Cached(), properties);
  }

  // Only the settings the chains are loaded from, read as the configuration binding reads them
  // (PathSettings), so this thread and the bean share one load.
  static ConformanceProperties settings(ConfigurableEnvironment environment) {
    Path packageDir =
        PathSettings.toPath(environment.getProperty("gateway.conformance.package-dir"));
    Path profilesDir =
        PathSettings.toPath(
            environment.getProperty(
                "gateway.conformance.profiles-dir", "classpath:shipped/profiles"));
    Path cacheDir = PathSettings.toPath(environment.getProperty("gateway.conformance.cache-dir"));
    return new ConformanceProperties(packageDir, profilesDir, cacheDir);
  }

  @Override
  public int getOrder() {
    // After the start-up checks: a setting they refuse stops the start before anything loads.
    return Ordered.LOWEST_PRECEDENCE;
  }
}
