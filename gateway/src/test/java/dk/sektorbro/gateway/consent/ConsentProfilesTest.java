package dk.sektorbro.gateway.consent;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.support.DefaultProfileValidationSupport;
import ca.uhn.fhir.validation.FhirValidator;
import ca.uhn.fhir.validation.ResultSeverityEnum;
import ca.uhn.fhir.validation.SingleValidationMessage;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dk.sektorbro.gateway.consent.ConsentRecord.Grantor;
import dk.sektorbro.gateway.consent.ConsentRecord.GrantorType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.hl7.fhir.common.hapi.validation.support.CommonCodeSystemsTerminologyService;
import org.hl7.fhir.common.hapi.validation.support.InMemoryTerminologyServerValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.PrePopulatedValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.SnapshotGeneratingValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.ValidationSupportChain;
import org.hl7.fhir.common.hapi.validation.validator.FhirInstanceValidator;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.CodeSystem;
import org.hl7.fhir.r4.model.StructureDefinition;
import org.hl7.fhir.r4.model.ValueSet;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * profiles/ and the Java code lists say the same thing, the mappings only produce known codes, and
 * what the gateway exports is valid against its own profile (HAPI validator, base R4 + profiles/).
 */
class ConsentProfilesTest {

  static final Path REPO = Path.of("").toAbsolutePath().getParent();
  static final Path PROFILES = REPO.resolve("profiles");
  static final ObjectMapper JSON = new ObjectMapper();
  static final FhirContext FHIR = FhirContext.forR4Cached();

  @Test
  void codeSystems_equalTheJavaCodeLists() throws IOException {
    assertCodes(ConsentProfiles.CS_INFORMATION_CATEGORY, InformationCategory.values());
    assertCodes(ConsentProfiles.CS_PURPOSE, Purpose.values());
    assertCodes(ConsentProfiles.CS_RECIPIENT_KIND, RecipientKind.values());
    assertCodes(ConsentProfiles.CS_LEGAL_BASIS, LegalBasis.values());
    assertCodes(ConsentProfiles.CS_FORM, ConsentForm.values());
  }

  @Test
  void mappings_produceOnlyKnownConsentCodes() throws IOException {
    ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
    try (Stream<Path> files = Files.list(REPO.resolve("mappings"))) {
      for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).toList()) {
        JsonNode mapping = yaml.readTree(file.toFile());
        // Every source says what kind of unit it sends for: the legal-basis rules check it.
        assertThat(CodedValue.byCode(SenderKind.class, mapping.path("senderKind").asText()))
            .as(file + ": senderKind")
            .isPresent();
        JsonNode maps = mapping.get("valueMaps");
        maps.get("informationCategories")
            .forEach(
                code ->
                    assertThat(CodedValue.byCode(InformationCategory.class, code.asText()))
                        .as(file + ": " + code)
                        .isPresent());
        maps.get("purposes")
            .forEach(
                code ->
                    assertThat(CodedValue.byCode(Purpose.class, code.asText()))
                        .as(file + ": " + code)
                        .isPresent());
        maps.get("legalBases")
            .forEach(
                code ->
                    assertThat(CodedValue.byCode(LegalBasis.class, code.asText()))
                        .as(file + ": " + code)
                        .isPresent());
        maps.get("recipientKinds")
            .forEach(
                code ->
                    assertThat(CodedValue.byCode(RecipientKind.class, code.asText()))
                        .as(file + ": " + code)
                        .isPresent());
      }
    }
  }

  @Test
  void profileAndExtensions_existForEveryUrlTheMapperWrites() throws IOException {
    Set<String> urls = new TreeSet<>();
    for (JsonNode resource : profileResources()) {
      urls.add(resource.get("url").asText());
    }
    assertThat(urls)
        .contains(
            ConsentProfiles.CONSENT,
            ConsentProfiles.EXT_COLLECTED_BY,
            ConsentProfiles.EXT_FORM,
            ConsentProfiles.EXT_PROXY_AUTHORITY,
            ConsentProfiles.EXT_RECIPIENT_KIND,
            ConsentProfiles.EXT_RECIPIENT_RELATION,
            ConsentProfiles.EXT_RECIPIENT_MUNICIPALITY,
            ConsentProfiles.EXT_REVOCATION);
  }

  // HAPI with the R4 core definitions (slow): runs in verify, not in ./mvnw test.
  @Tag("integration")
  @Test
  void exportedConsentAndRefusal_areValidAgainstTheProfile() throws IOException {
    FhirValidator validator = validator();
    OffsetDateTime given = OffsetDateTime.parse("2026-11-20T09:00:00+01:00");
    ConsentRecord consent =
        new ConsentRecord(
            "0f8e7c1a-1111-4a7e-9c7e-1b2c3d4e5f60",
            "0503455012",
            ConsentRecord.Type.CONSENT,
            new Grantor(GrantorType.PROXY, "Jens Værge", "guardian"),
            List.of(
                ConsentRecipient.organisation("990031000016002", "Afsnit P3"),
                ConsentRecipient.relative("Ida", "daughter")),
            Set.of(InformationCategory.SOCIAL_CONDITIONS),
            Purpose.CARE_COORDINATION,
            given,
            given.plusYears(1),
            "Karen Holm",
            "Lise Jensen",
            ConsentForm.WRITTEN,
            given,
            new ConsentRecord.Revocation(given.plusDays(1), "Karen Holm", "phoned"));
    ConsentRecord refusal =
        new ConsentRecord(
            "0f8e7c1a-2222-4a7e-9c7e-1b2c3d4e5f60",
            "0503455012",
            ConsentRecord.Type.REFUSAL,
            new Grantor(GrantorType.CITIZEN, null, null),
            List.of(ConsentRecipient.ofKind(RecipientKind.OWN_GP)),
            Set.of(),
            null,
            given,
            null,
            "Karen Holm",
            null,
            ConsentForm.VERBAL,
            given,
            null);
    ConsentFhirMapper mapper = new ConsentFhirMapper();
    for (ConsentRecord record : List.of(consent, refusal)) {
      List<String> errors =
          validator.validateWithResult(mapper.toFhir(record)).getMessages().stream()
              .filter(m -> m.getSeverity().ordinal() >= ResultSeverityEnum.ERROR.ordinal())
              .map(SingleValidationMessage::toString)
              .toList();
      assertThat(errors).as(record.type().name()).isEmpty();
    }
  }

  // HAPI with the R4 core definitions (slow): runs in verify, not in ./mvnw test.
  @Tag("integration")
  @Test
  void consentOverOneYear_isInvalidAgainstTheProfile() throws IOException {
    OffsetDateTime given = OffsetDateTime.parse("2026-11-20T09:00:00+01:00");
    ConsentRecord tooLong =
        new ConsentRecord(
            "0f8e7c1a-3333-4a7e-9c7e-1b2c3d4e5f60",
            "0503455012",
            ConsentRecord.Type.CONSENT,
            new Grantor(GrantorType.CITIZEN, null, null),
            List.of(ConsentRecipient.organisation("990031000016002", null)),
            Set.of(InformationCategory.MEDICATION),
            Purpose.CURRENT_TREATMENT,
            given,
            given.plusYears(1).plusDays(1),
            "Karen Holm",
            null,
            ConsentForm.WRITTEN,
            given,
            null);
    List<SingleValidationMessage> messages =
        validator().validateWithResult(new ConsentFhirMapper().toFhir(tooLong)).getMessages();
    assertThat(messages)
        .anyMatch(
            m -> m.getSeverity() == ResultSeverityEnum.ERROR && m.getMessage().contains("sbc-3"));
  }

  private static void assertCodes(String url, CodedValue[] values) throws IOException {
    JsonNode system =
        profileResources().stream()
            .filter(r -> r.get("url").asText().equals(url))
            .findFirst()
            .orElseThrow();
    Set<String> inFile = new TreeSet<>();
    system.get("concept").forEach(c -> inFile.add(c.get("code").asText()));
    Set<String> inJava = new TreeSet<>();
    for (CodedValue v : values) {
      inJava.add(v.code());
    }
    assertThat(inFile).as(url).isEqualTo(inJava);
  }

  private static List<JsonNode> profileResources() throws IOException {
    List<JsonNode> resources = new ArrayList<>();
    try (Stream<Path> files = Files.list(PROFILES)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".json")).sorted().toList()) {
        resources.add(JSON.readTree(file.toFile()));
      }
    }
    return resources;
  }

  private static FhirValidator validator() throws IOException {
    PrePopulatedValidationSupport profiles = new PrePopulatedValidationSupport(FHIR);
    try (Stream<Path> files = Files.list(PROFILES)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".json")).toList()) {
        IBaseResource resource = FHIR.newJsonParser().parseResource(Files.readString(file));
        if (resource instanceof StructureDefinition sd) {
          profiles.addStructureDefinition(sd);
        } else if (resource instanceof CodeSystem cs) {
          profiles.addCodeSystem(cs);
        } else if (resource instanceof ValueSet vs) {
          profiles.addValueSet(vs);
        }
      }
    }
    ValidationSupportChain chain =
        new ValidationSupportChain(
            profiles,
            new DefaultProfileValidationSupport(FHIR),
            new SnapshotGeneratingValidationSupport(FHIR),
            new InMemoryTerminologyServerValidationSupport(FHIR),
            new CommonCodeSystemsTerminologyService(FHIR));
    FhirInstanceValidator instance = new FhirInstanceValidator(chain);
    instance.setErrorForUnknownProfiles(true);
    return FHIR.newValidator().registerValidatorModule(instance);
  }
}
