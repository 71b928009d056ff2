package dk.sektorbro.gateway.validation;

import ca.uhn.fhir.context.FhirContext;
import dk.sektorbro.gateway.medcom.CareCommunicationBuilder;
import dk.sektorbro.gateway.medcom.FhirMessageCodec;
import dk.sektorbro.gateway.medcom.ReferenceMessage;
import dk.sektorbro.gateway.platform.GatewayProperties;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.ContextRefreshedEvent;
import org.springframework.context.event.EventListener;

/**
 * Builds the validation chains once, before any route starts (the validation stage depends on
 * them), and warms each one up on a thread of its own so the first real message does not pay
 * seconds of loading; a message that comes before its chain is warm waits for it.
 */
@Configuration(proxyBeanMethods = false)
public class ConformanceConfiguration {

  private static final Logger log = LoggerFactory.getLogger(ConformanceConfiguration.class);

  @Bean
  ConformanceStatus conformanceStatus(FhirContext fhir, ConformanceProperties properties) {
    long start = System.nanoTime();
    // Usually started by ConformancePreload on its own thread: this joins it.
    ConformanceChains chains = ConformanceChains.shared(fhir, properties);
    log.info(
        "validation chains ready waitedMs={} coreParsed={}",
        Duration.ofNanos(System.nanoTime() - start).toMillis(),
        LazyCoreMap.parsedInJvm());
    Duration loadTime = chains.loadTime();
    announce(chains, properties, loadTime);
    return new ConformanceStatus(chains, loadTime, new ConcurrentHashMap<>());
  }

  @Bean
  MessageValidator messageValidator(
      ConformanceStatus status,
      ConformanceProperties properties,
      MeterRegistry meters,
      CareCommunicationBuilder builder,
      FhirMessageCodec codec,
      GatewayProperties gateway) {
    ConformanceChains chains = status.chains();
    ConformanceMessageValidator validator =
        new ConformanceMessageValidator(
            chains, properties.mode(), properties.shadowSample(), properties.fastMemory(), meters);
    String reference = codec.encode(ReferenceMessage.build(builder), gateway.delivery().format());
    // The warm-up is not on the path to ready: the packages are loaded, and a chain's first
    // validation gives the same verdict warm or cold. Each chain's gate is closed here, before any
    // route can run, so a message that comes early waits for its chain's warm-up instead of
    // warming it up on a worker thread beside it (docs/validation.md, "Start-up and timing").
    // With warm-up on-demand only the chain of the gateway's own message is warmed up here; each
    // other chain's gate is closed the same way, and the first message that reaches it warms the
    // chain up on its own thread while the others wait (ConformanceChain.beginWarmUpOnDemand).
    ConformanceChain own = chains.forType(ChainDefinition.CARE_COMMUNICATION);
    List<ConformanceChain> atStart =
        properties.warmUp() == ConformanceProperties.WarmUp.ALL ? chains.all() : List.of(own);
    for (ConformanceChain chain : chains.all()) {
      if (atStart.contains(chain)) {
        chain.beginWarmUp();
      } else {
        chain.beginWarmUpOnDemand(() -> warmUpOne(chain, chains, status, reference));
      }
    }
    Thread warming =
        new Thread(
            () -> warmUpAll(atStart, chains, status, validator, reference, gateway),
            "conformance-warmup");
    warming.setDaemon(true);
    pendingWarmUp.set(warming);
    log.info("validation mode={} warmUp={}", properties.mode(), properties.warmUp());
    return validator;
  }

  // Started when the context has refreshed (Tomcat and the routes are up), not when the bean is
  // made: on 2 cores the warm-up's first validations (R4 -> R5 conversion, the lazily parsed R4
  // core) took CPU from the main thread's last seconds to ready. Messages that come before it
  // wait at their chain's gate, closed above, exactly as before.
  private final AtomicReference<Thread> pendingWarmUp = new AtomicReference<>();

  // Once, though a child context's refresh reaches this listener too.
  @EventListener(ContextRefreshedEvent.class)
  void startWarmUp() {
    Thread warming = pendingWarmUp.getAndSet(null);
    if (warming != null) {
      warming.start();
    }
  }

  // Once per JVM per chain (a test suite's later application contexts share the warmed chains),
  // one chain after the other on one thread.
  private static void warmUpAll(
      List<ConformanceChain> atStart,
      ConformanceChains chains,
      ConformanceStatus status,
      ConformanceMessageValidator validator,
      String reference,
      GatewayProperties gateway) {
    long start = System.nanoTime();
    for (ConformanceChain chain : atStart) {
      try {
        warmUpOne(chain, chains, status, reference);
      } finally {
        chain.endWarmUp();
      }
    }
    try {
      // The reference message's template is the one nearly every message has: learn it now.
      validator.validate(
          ChainDefinition.CARE_COMMUNICATION, reference, gateway.delivery().format().name());
    } catch (RuntimeException e) {
      log.warn("validator could not learn the reference template cause={}", e.toString());
    }
    log.info(
        "validator warm-up done ms={}", Duration.ofNanos(System.nanoTime() - start).toMillis());
  }

  // The gate is the caller's: the warm-up thread's, or the first message's with warm-up on-demand.
  private static void warmUpOne(
      ConformanceChain chain,
      ConformanceChains chains,
      ConformanceStatus status,
      String reference) {
    try {
      String sample =
          chain == chains.fallback()
              ? reference
              : sampleFor(typeOf(chain, chains), chains, reference);
      status.warmUp().put(chain.name(), chains.warmUpOnce(chain, () -> warmUp(chain, sample)));
    } catch (RuntimeException e) {
      log.warn("validator warm-up failed chain=\"{}\" cause={}", chain.name(), e.toString());
    }
  }

  private static String typeOf(ConformanceChain chain, ConformanceChains chains) {
    return chains.medcomChains().entrySet().stream()
        .filter(e -> e.getValue() == chain)
        .map(Map.Entry::getKey)
        .findFirst()
        .orElse("");
  }

  // CareCommunication warms up on the gateway's own reference message; families the gateway does
  // not build yet warm up on their package's first official example.
  private static String sampleFor(String messageType, ConformanceChains chains, String reference) {
    List<String> examples = chains.officialExamples(messageType);
    return ChainDefinition.CARE_COMMUNICATION.equals(messageType) || examples.isEmpty()
        ? reference
        : examples.get(0);
  }

  static Duration warmUp(ConformanceChain chain, String sample) {
    long start = System.nanoTime();
    ValidationReport report = chain.validateNow(sample);
    Duration took = Duration.ofNanos(System.nanoTime() - start);
    if (chain.packages().isEmpty() || report.valid()) {
      log.info("validator warmed up chain=\"{}\" ms={}", chain.name(), took.toMillis());
    } else {
      // The reference message is fictitious, so its issues can be logged: they point at a builder
      // defect.
      ValidationReport.Issue first = report.errors().get(0);
      log.warn(
          "validator warm-up sample is invalid chain=\"{}\" errors={} first=\"{}: {}\"",
          chain.name(),
          report.errors().size(),
          first.location(),
          first.message());
    }
    return took;
  }

  private static void announce(
      ConformanceChains chains, ConformanceProperties properties, Duration loadTime) {
    chains
        .medcomChains()
        .forEach(
            (type, chain) ->
                log.info(
                    "validation chain loaded type={} packages={} profiles={}",
                    type,
                    chain.packages(),
                    chain.profiles()));
    if (!chains.medcomInstalled()) {
      log.warn(
          "MedCom packages are NOT installed: messages are validated against base FHIR R4 and {} only."
              + " Set gateway.conformance.package-dir (GATEWAY_CONFORMANCE_PACKAGE_DIR) to the folder with the"
              + " official .tgz packages; see docs/validation.md. packageDir={} missing={}",
          properties.profilesDir(),
          chains.packageDir(),
          chains.missingPackages());
    } else if (!chains.missingPackages().isEmpty()) {
      log.warn(
          "some MedCom chains are not loaded, their messages get base R4 validation only missing={} packageDir={}",
          chains.missingPackages(),
          chains.packageDir());
    }
    log.info("validator built ms={}", loadTime.toMillis());
  }
}
