package dk.sektorbro.gateway.validation;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.validation.FhirValidator;
import ca.uhn.fhir.validation.ResultSeverityEnum;
import ca.uhn.fhir.validation.SingleValidationMessage;
import ca.uhn.fhir.validation.ValidationResult;
import java.util.List;
import org.hl7.fhir.common.hapi.validation.support.CommonCodeSystemsTerminologyService;
import org.hl7.fhir.common.hapi.validation.support.InMemoryTerminologyServerValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.ValidationSupportChain;
import org.hl7.fhir.common.hapi.validation.validator.FhirInstanceValidator;
import ca.uhn.fhir.context.support.DefaultProfileValidationSupport;
import org.springframework.stereotype.Component;

/**
 * Validation against base FHIR R4 only: structure, cardinalities and core invariants. The MedCom
 * package chains replace it where installed.
 */
@Component
public class CoreR4MessageValidator implements MessageValidator {

  private final FhirContext fhir;
  private final FhirValidator validator;

  public CoreR4MessageValidator(FhirContext fhir) {
    this.fhir = fhir;
    ValidationSupportChain chain = new ValidationSupportChain(
        new DefaultProfileValidationSupport(fhir),
        new InMemoryTerminologyServerValidationSupport(fhir),
        new CommonCodeSystemsTerminologyService(fhir));
    FhirInstanceValidator instance = new FhirInstanceValidator(chain);
    instance.setErrorForUnknownProfiles(false);
    instance.setAnyExtensionsAllowed(true);
    this.validator = fhir.newValidator().registerValidatorModule(instance);
  }

  @Override
  public ValidationReport validate(String messageType, String message, String format) {
    ValidationResult result = validator.validateWithResult(
        "XML".equals(format) ? fhir.newXmlParser().parseResource(message) : fhir.newJsonParser().parseResource(message));
    List<ValidationReport.Issue> issues = result.getMessages().stream().map(CoreR4MessageValidator::issue).toList();
    return new ValidationReport("FHIR R4 core", issues);
  }

  static ValidationReport.Issue issue(SingleValidationMessage m) {
    ResultSeverityEnum s = m.getSeverity();
    ValidationReport.Severity severity = switch (s) {
      case FATAL -> ValidationReport.Severity.FATAL;
      case ERROR -> ValidationReport.Severity.ERROR;
      case WARNING -> ValidationReport.Severity.WARNING;
      case INFORMATION -> ValidationReport.Severity.INFORMATION;
    };
    return new ValidationReport.Issue(severity, m.getLocationString(), m.getMessage());
  }
}
