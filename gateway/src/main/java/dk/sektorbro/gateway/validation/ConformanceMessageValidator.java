package dk.sektorbro.gateway.validation;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's validator: the MedCom chain of the message's family where its packages are
 * installed, else base R4 plus the gateway's own profiles (and the report's chain name says so). In
 * mode {@code fast} a message whose fingerprint the chain has seen valid gets HAPI's findings from
 * memory ({@link FastChain}); every other message, and every invalid one, is validated by HAPI
 * ({@code reference}). In mode {@code shadow} a sample of the fast answers is checked against HAPI;
 * a disagreement is counted ({@code gateway_validation_disagreements_total}), logged without
 * content, noted in the journaled report, and HAPI's verdict is used; that template is never
 * answered from memory again.
 */
public final class ConformanceMessageValidator implements MessageValidator {

  private static final Logger log = LoggerFactory.getLogger(ConformanceMessageValidator.class);
  static final String DISAGREEMENT_ID = "gateway-validation-disagreement";

  private final ConformanceChains chains;
  private final ConformanceProperties.Mode mode;
  private final double shadowSample;
  private final Map<ConformanceChain, FastChain> fast = new IdentityHashMap<>();
  private final Counter disagreements;
  private final Counter remembered;
  private final Counter validatedByHapi;
  private final MeterRegistry meters;
  private final Map<String, Counter> lookups = new ConcurrentHashMap<>();

  public ConformanceMessageValidator(ConformanceChains chains) {
    this(chains, ConformanceProperties.Mode.REFERENCE, 0, 1, null);
  }

  public ConformanceMessageValidator(
      ConformanceChains chains,
      ConformanceProperties.Mode mode,
      double shadowSample,
      int fastMemory,
      MeterRegistry meters) {
    this.chains = chains;
    this.mode = mode;
    this.shadowSample = shadowSample;
    chains.all().forEach(chain -> fast.put(chain, new FastChain(chain, fastMemory)));
    this.disagreements =
        meters == null
            ? null
            : Counter.builder("gateway.validation.disagreements")
                .description(
                    "Shadow mode: fast and reference validator disagreed (the reference verdict was used)")
                .register(meters);
    this.remembered =
        meters == null
            ? null
            : Counter.builder("gateway.validation.verdicts")
                .tag("by", "fast")
                .description("Validation verdicts by who gave them")
                .register(meters);
    this.meters = meters;
    this.validatedByHapi =
        meters == null
            ? null
            : Counter.builder("gateway.validation.verdicts")
                .tag("by", "reference")
                .description("Validation verdicts by who gave them")
                .register(meters);
  }

  public ConformanceProperties.Mode mode() {
    return mode;
  }

  @Override
  public ValidationReport validate(String messageType, String message, String format) {
    // XML or JSON is detected from the content itself, so the format needs no branch here.
    ConformanceChain chain = chains.forType(messageType);
    if (mode == ConformanceProperties.Mode.REFERENCE) {
      count(false);
      return chain.validate(message);
    }
    FastChain.Result result = fast.get(chain).check(message);
    count(result.remembered());
    countLookup(chain == chains.fallback() ? "fallback" : messageType, result.remembered());
    if (mode == ConformanceProperties.Mode.FAST
        || !result.remembered()
        || ThreadLocalRandom.current().nextDouble() >= shadowSample) {
      return result.report();
    }
    ValidationReport reference = chain.validate(message);
    if (result.report().sameFindings(reference)) {
      return result.report();
    }
    if (disagreements != null) {
      disagreements.increment();
    }
    fast.get(chain).distrust(message);
    log.warn(
        "validation disagreement: fast and reference validator differ, the reference verdict is used"
            + " chain=\"{}\" fastValid={} referenceValid={} fastIssues={} referenceIssues={}",
        chain.name(),
        result.report().valid(),
        reference.valid(),
        result.report().issues().size(),
        reference.issues().size());
    List<ValidationReport.Issue> issues = new ArrayList<>(reference.issues());
    issues.add(
        new ValidationReport.Issue(
            ValidationReport.Severity.INFORMATION,
            "Bundle",
            "The fast validator said "
                + (result.report().valid() ? "valid" : "invalid")
                + " with "
                + result.report().issues().size()
                + " issues; HAPI's verdict is used",
            DISAGREEMENT_ID));
    return new ValidationReport(reference.chain(), issues);
  }

  FastChain fastChain(String messageType) {
    return fast.get(chains.forType(messageType));
  }

  // Hit rate of the fast path's memory per chain: a low one means the templates differ from
  // message to message (a value the fingerprint keeps literal), and HAPI does the work.
  private void countLookup(String chain, boolean hit) {
    if (meters == null) {
      return;
    }
    String result = hit ? "hit" : "miss";
    lookups
        .computeIfAbsent(
            chain + '|' + result,
            k ->
                Counter.builder("gateway.validation.fast.lookups")
                    .tag("chain", chain)
                    .tag("result", result)
                    .description(
                        "Fast validator: messages answered from its memory (hit) or by HAPI (miss), per chain")
                    .register(meters))
        .increment();
  }

  private void count(boolean fromMemory) {
    Counter counter = fromMemory ? remembered : validatedByHapi;
    if (counter != null) {
      counter.increment();
    }
  }
}
