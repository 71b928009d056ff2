package dk.sektorbro.gateway.validation;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.support.DefaultProfileValidationSupport;
import ca.uhn.fhir.context.support.IValidationSupport;
import ca.uhn.fhir.validation.FhirValidator;
import ca.uhn.fhir.validation.IValidationContext;
import ca.uhn.fhir.validation.IValidatorModule;
import ca.uhn.fhir.validation.SingleValidationMessage;
import ca.uhn.fhir.validation.ValidationContext;
import ca.uhn.fhir.validation.ValidationOptions;
import ca.uhn.fhir.validation.ValidationResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.hl7.fhir.common.hapi.validation.support.CommonCodeSystemsTerminologyService;
import org.hl7.fhir.common.hapi.validation.support.InMemoryTerminologyServerValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.ValidationSupportChain;
import org.hl7.fhir.common.hapi.validation.validator.FhirInstanceValidator;
import org.hl7.fhir.common.hapi.validation.validator.WorkerContextValidationSupportAdapter;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.utilities.validation.ValidationMessage;

/**
 * One HAPI instance validator over one set of conformance resources: the <em>reference</em>
 * validator. Built once and shared by all workers. It runs HAPI's own {@code InstanceValidator}
 * with exactly the settings {@code FhirInstanceValidator} gives it, but keeps one instance per
 * thread (HAPI builds a new one per call) and reads the message once more only where the chain has
 * Java rules on top ({@link HapiInstanceRun}). {@link #validateStock} is the stock HAPI path, kept
 * as the oracle the tests compare against.
 */
public final class ConformanceChain {

  private final String name;
  private final List<String> packages;
  private final int profiles;
  private final FhirContext fhir;
  private final FhirInstanceValidator settings;
  private final List<IValidatorModule> rules;
  private final HapiInstanceRun run;
  private final IValidationSupport support;
  private volatile FhirValidator stock;
  // Open (null) unless a warm-up of this chain is under way: then validation waits for it.
  private volatile CountDownLatch warming;
  // A warm-up left to the chain's first message (gateway.conformance.warm-up=on-demand): the first
  // thread to reach the closed gate runs it, the others wait there as for the warm-up thread.
  private Runnable onDemand;
  private boolean warmedUp;

  private ConformanceChain(
      String name,
      List<String> packages,
      int profiles,
      FhirContext fhir,
      FhirInstanceValidator settings,
      WorkerContextValidationSupportAdapter context,
      IValidationSupport support,
      List<IValidatorModule> rules) {
    this.name = name;
    this.support = support;
    this.packages = List.copyOf(packages);
    this.profiles = profiles;
    this.fhir = fhir;
    this.settings = settings;
    this.rules = List.copyOf(rules);
    this.run = new HapiInstanceRun(context, settings);
  }

  /**
   * @param strict whether a profile the chain cannot resolve is an error: yes with the MedCom
   *     packages (a message claiming an unknown profile is wrong), no for the base R4 fallback
   */
  static ConformanceChain build(
      FhirContext fhir,
      DefaultProfileValidationSupport core,
      String name,
      ConformanceResources resources,
      int profiles,
      boolean strict,
      List<IValidatorModule> rules) {
    // Every StructureDefinition has its snapshot before the chain exists (the packages' come with
    // theirs, profiles/ gets its own here), so HAPI's validator never generates one lazily on a
    // worker thread (its thread-safety bug hapi-fhir #8034 / core #2470). The chain's cache never
    // expires: conformance resources do not change while the gateway runs.
    resources.completeProfileSnapshots(core);
    IValidationSupport definitions = resources.support();
    ValidationSupportChain chain =
        new ValidationSupportChain(
            ValidationSupportChain.CacheConfiguration.defaultValues()
                .setCacheTimeout(Duration.ofDays(3650))
                .setCacheSize(100_000),
            new VersionedCanonicalSupport(fhir, List.of(definitions, core)),
            definitions,
            core,
            new InMemoryTerminologyServerValidationSupport(fhir),
            new CommonCodeSystemsTerminologyService(fhir));
    WorkerContextValidationSupportAdapter context =
        WorkerContextValidationSupportAdapter.newVersionSpecificWorkerContextWrapper(chain);
    FhirInstanceValidator settings = new FhirInstanceValidator(chain);
    settings.setErrorForUnknownProfiles(strict);
    settings.setWrappedWorkerContext(chain, context);
    return new ConformanceChain(
        name, resources.packages(), profiles, fhir, settings, context, chain, rules);
  }

  public String name() {
    return name;
  }

  /** The chain's conformance resources and terminology, as its validator reads them. */
  IValidationSupport support() {
    return support;
  }

  /** "name#version" of the packages in this chain; empty for the base R4 fallback. */
  public List<String> packages() {
    return packages;
  }

  /** How many of the gateway's own conformance resources (profiles/) the chain holds. */
  public int profiles() {
    return profiles;
  }

  /** The checks this chain adds on top of the packages, in the order they run after HAPI's. */
  List<IValidatorModule> rules() {
    return rules;
  }

  /**
   * Validates the encoded message as it will be delivered (XML or JSON, detected from the text).
   * While the chain's warm-up runs (after {@link #beginWarmUp}) this waits for it: the first
   * validation of a chain, which converts and caches the definitions it touches, runs on one thread
   * only, and every later one finds them ready.
   */
  public ValidationReport validate(String message) {
    awaitWarmUp();
    return validateNow(message);
  }

  /** Closes the gate until {@link #endWarmUp}; nothing happens if the chain is warm already. */
  synchronized void beginWarmUp() {
    if (!warmedUp && warming == null) {
      warming = new CountDownLatch(1);
    }
  }

  /**
   * Closes the gate as {@link #beginWarmUp}, but no warm-up thread opens it: the first validation
   * that reaches the gate runs {@code warmUp} on its own thread, alone, and then its message; every
   * validation that comes meanwhile waits for it. Nothing happens if the chain is warm already.
   */
  synchronized void beginWarmUpOnDemand(Runnable warmUp) {
    beginWarmUp();
    if (warming != null) {
      onDemand = warmUp;
    }
  }

  /** Opens the gate: the chain's warm-up is over (or failed; validation then warms it). */
  synchronized void endWarmUp() {
    warmedUp = true;
    onDemand = null;
    CountDownLatch gate = warming;
    warming = null;
    if (gate != null) {
      gate.countDown();
    }
  }

  /** Whether the warm-up is over, or was never asked for. */
  public boolean warm() {
    return warming == null;
  }

  private void awaitWarmUp() {
    CountDownLatch gate = warming;
    Runnable mine = gate == null ? null : claimWarmUp();
    if (mine != null) {
      // The gate stays closed while this thread warms the chain up: no other validation runs in
      // it until the warm-up is over.
      try {
        mine.run();
      } finally {
        endWarmUp();
      }
    } else if (gate != null) {
      try {
        gate.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while the validator warmed up", e);
      }
    }
  }

  // Once: whoever takes the on-demand warm-up runs it; later callers find null and wait.
  private synchronized Runnable claimWarmUp() {
    Runnable mine = onDemand;
    onDemand = null;
    return mine;
  }

  /** Validates without waiting for the warm-up: the warm-up itself. */
  ValidationReport validateNow(String message) {
    List<ValidationReport.Issue> issues = new ArrayList<>();
    IValidationContext<IBaseResource> parsed = null;
    if (!rules.isEmpty()) {
      // As in HAPI's FhirValidator: the HAPI model is parsed first (an unparseable message throws)
      // and the rules see it after the instance validator's findings.
      parsed = ValidationContext.forText(fhir, message, new ValidationOptions());
      parsed.getResource();
    }
    for (ValidationMessage m : run.validate(message)) {
      issues.add(issue(m));
    }
    if (parsed != null) {
      for (IValidatorModule rule : rules) {
        rule.validateResource(parsed);
      }
      parsed.getMessages().forEach(m -> issues.add(issue(m)));
    }
    return new ValidationReport(name, issues);
  }

  /**
   * HAPI's stock path (a {@link FhirValidator} with a new InstanceValidator per call): the oracle.
   */
  ValidationReport validateStock(String message) {
    awaitWarmUp();
    FhirValidator validator = stock;
    if (validator == null) {
      synchronized (this) {
        if (stock == null) {
          FhirValidator built = fhir.newValidator().registerValidatorModule(settings);
          rules.forEach(built::registerValidatorModule);
          stock = built;
        }
        validator = stock;
      }
    }
    ValidationResult result = validator.validateWithResult(message);
    return new ValidationReport(
        name, result.getMessages().stream().map(ConformanceChain::issue).toList());
  }

  static ValidationReport.Issue issue(SingleValidationMessage m) {
    ValidationReport.Severity severity =
        switch (m.getSeverity()) {
          case FATAL -> ValidationReport.Severity.FATAL;
          case ERROR -> ValidationReport.Severity.ERROR;
          case WARNING -> ValidationReport.Severity.WARNING;
          case INFORMATION -> ValidationReport.Severity.INFORMATION;
        };
    return new ValidationReport.Issue(
        severity, m.getLocationString(), m.getMessage(), m.getMessageId());
  }

  // Same mapping as HAPI's BaseValidatorBridge (severity by code, location, message, message id).
  static ValidationReport.Issue issue(ValidationMessage m) {
    ValidationReport.Severity severity =
        switch (m.getLevel()) {
          case FATAL -> ValidationReport.Severity.FATAL;
          case ERROR -> ValidationReport.Severity.ERROR;
          case WARNING -> ValidationReport.Severity.WARNING;
          default -> ValidationReport.Severity.INFORMATION;
        };
    String id =
        m.getMessageId() != null && !m.getMessageId().contains(" ") ? m.getMessageId() : null;
    return new ValidationReport.Issue(severity, m.getLocation(), m.getMessage(), id);
  }
}
