package dk.sektorbro.gateway.validation;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.support.DefaultProfileValidationSupport;
import ca.uhn.fhir.context.support.IValidationSupport;
import ca.uhn.fhir.validation.FhirValidator;
import ca.uhn.fhir.validation.IValidatorModule;
import ca.uhn.fhir.validation.SingleValidationMessage;
import ca.uhn.fhir.validation.ValidationResult;
import java.util.List;
import org.hl7.fhir.common.hapi.validation.support.CommonCodeSystemsTerminologyService;
import org.hl7.fhir.common.hapi.validation.support.InMemoryTerminologyServerValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.SnapshotGeneratingValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.ValidationSupportChain;
import org.hl7.fhir.common.hapi.validation.validator.FhirInstanceValidator;

/**
 * One HAPI instance validator over one set of conformance resources. Built once (loading and
 * snapshotting take seconds) and shared: HAPI's validator is safe to call from several workers.
 */
public final class ConformanceChain {

  private final String name;
  private final List<String> packages;
  private final int profiles;
  private final FhirValidator validator;

  private ConformanceChain(String name, List<String> packages, int profiles, FhirValidator validator) {
    this.name = name;
    this.packages = List.copyOf(packages);
    this.profiles = profiles;
    this.validator = validator;
  }

  /**
   * @param strict whether a profile the chain cannot resolve is an error: yes with the MedCom
   *     packages (a message claiming an unknown profile is wrong), no for the base R4 fallback
   */
  static ConformanceChain build(FhirContext fhir, DefaultProfileValidationSupport core, String name,
      ConformanceResources resources, int profiles, boolean strict, List<IValidatorModule> rules) {
    IValidationSupport definitions = resources.support();
    ValidationSupportChain chain = new ValidationSupportChain(
        new VersionedCanonicalSupport(fhir, List.of(definitions, core)),
        definitions,
        core,
        new InMemoryTerminologyServerValidationSupport(fhir),
        new CommonCodeSystemsTerminologyService(fhir),
        new SnapshotGeneratingValidationSupport(fhir));
    FhirInstanceValidator instance = new FhirInstanceValidator(chain);
    instance.setErrorForUnknownProfiles(strict);
    FhirValidator validator = fhir.newValidator().registerValidatorModule(instance);
    rules.forEach(validator::registerValidatorModule);
    return new ConformanceChain(name, resources.packages(), profiles, validator);
  }

  public String name() {
    return name;
  }

  /** "name#version" of the packages in this chain; empty for the base R4 fallback. */
  public List<String> packages() {
    return packages;
  }

  /** How many of the gateway's own conformance resources (profiles/) the chain holds. */
  public int profiles() {
    return profiles;
  }

  /** Validates the encoded message as it will be delivered (XML or JSON, detected by HAPI). */
  public ValidationReport validate(String message) {
    ValidationResult result = validator.validateWithResult(message);
    return new ValidationReport(name, result.getMessages().stream().map(ConformanceChain::issue).toList());
  }

  static ValidationReport.Issue issue(SingleValidationMessage m) {
    ValidationReport.Severity severity = switch (m.getSeverity()) {
      case FATAL -> ValidationReport.Severity.FATAL;
      case ERROR -> ValidationReport.Severity.ERROR;
      case WARNING -> ValidationReport.Severity.WARNING;
      case INFORMATION -> ValidationReport.Severity.INFORMATION;
    };
    return new ValidationReport.Issue(severity, m.getLocationString(), m.getMessage());
  }
}
