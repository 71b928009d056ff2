package dk.sektorbro.gateway.validation;

import ca.uhn.fhir.context.FhirContext;
import dk.sektorbro.gateway.medcom.CareCommunicationBuilder;
import dk.sektorbro.gateway.medcom.FhirMessageCodec;
import dk.sektorbro.gateway.medcom.ReferenceMessage;
import dk.sektorbro.gateway.platform.GatewayProperties;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Builds the validation chains once, before any route starts (the validation stage depends on
 * them), and warms each one up so the first real message does not pay seconds of loading.
 */
@Configuration(proxyBeanMethods = false)
public class ConformanceConfiguration {

  private static final Logger log = LoggerFactory.getLogger(ConformanceConfiguration.class);

  @Bean
  ConformanceStatus conformanceStatus(
      FhirContext fhir,
      ConformanceProperties properties,
      CareCommunicationBuilder builder,
      FhirMessageCodec codec,
      GatewayProperties gateway) {
    long start = System.nanoTime();
    // Usually started by ConformancePreload on its own thread: this joins it.
    ConformanceChains chains = ConformanceChains.shared(fhir, properties);
    log.info(
        "validation chains ready waitedMs={}",
        Duration.ofNanos(System.nanoTime() - start).toMillis());
    Duration loadTime = chains.loadTime();
    announce(chains, properties, loadTime);
    String reference = codec.encode(ReferenceMessage.build(builder), gateway.delivery().format());
    Map<String, Duration> warmUp = new LinkedHashMap<>();
    // Once per JVM: a test suite's later application contexts share the warmed-up chains.
    for (Map.Entry<String, ConformanceChain> e : chains.medcomChains().entrySet()) {
      warmUp.put(
          e.getValue().name(),
          chains.warmUpOnce(
              e.getValue(), () -> warmUp(e.getValue(), sampleFor(e.getKey(), chains, reference))));
    }
    warmUp.put(
        chains.fallback().name(),
        chains.warmUpOnce(chains.fallback(), () -> warmUp(chains.fallback(), reference)));
    return new ConformanceStatus(chains, loadTime, warmUp);
  }

  @Bean
  MessageValidator messageValidator(
      ConformanceStatus status,
      ConformanceProperties properties,
      MeterRegistry meters,
      CareCommunicationBuilder builder,
      FhirMessageCodec codec,
      GatewayProperties gateway) {
    ConformanceMessageValidator validator =
        new ConformanceMessageValidator(
            status.chains(),
            properties.mode(),
            properties.shadowSample(),
            properties.fastMemory(),
            meters);
    // The reference message's template is the one nearly every message has: learn it now.
    validator.validate(
        ChainDefinition.CARE_COMMUNICATION,
        codec.encode(ReferenceMessage.build(builder), gateway.delivery().format()),
        gateway.delivery().format().name());
    log.info("validation mode={}", properties.mode());
    return validator;
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
    ValidationReport report = chain.validate(sample);
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
