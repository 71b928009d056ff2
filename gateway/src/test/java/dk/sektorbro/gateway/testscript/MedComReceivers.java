package dk.sektorbro.gateway.testscript;

import ca.uhn.fhir.context.FhirContext;
import dk.sektorbro.gateway.support.MedComIntegrationTest;
import dk.sektorbro.gateway.validation.ChainDefinition;
import dk.sektorbro.gateway.validation.MedComChains;
import dk.sektorbro.gateway.validation.ValidationReport;
import java.util.List;
import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * A gateway that plays the receiver of MedCom's material: the MedCom packages loaded, and the GLNs
 * MedCom's fixtures and official examples are addressed to served here.
 */
final class MedComReceivers {

  /** Receivers of the CareCommunication TestScript fixtures and of the official examples. */
  static final List<String> GLNS = MedComIntegrationTest.MEDCOM_RECEIVERS;

  private MedComReceivers() {}

  static void configure(DynamicPropertyRegistry registry) {
    registry.add("gateway.conformance.package-dir", MedComChains.PACKAGES::toString);
    registry.add("gateway.handover.receivers", () -> String.join(",", GLNS));
  }

  /**
   * The official Acknowledgement chain's errors for an acknowledgement the gateway sent (HAPI,
   * loaded by the test).
   */
  static List<ValidationReport.Issue> ackErrors(String ack) {
    return MedComChains.get().forType(ChainDefinition.ACKNOWLEDGEMENT).validate(ack).errors();
  }

  static final FhirContext FHIR = FhirContext.forR4Cached();
}
