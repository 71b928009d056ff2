package dk.sektorbro.gateway.consent;

import static dk.sektorbro.gateway.consent.ConsentProfiles.*;

import dk.sektorbro.gateway.medcom.MedComProfiles;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Consent;
import org.hl7.fhir.r4.model.Consent.ConsentProvisionType;
import org.hl7.fhir.r4.model.Consent.ConsentState;
import org.hl7.fhir.r4.model.Consent.ProvisionComponent;
import org.hl7.fhir.r4.model.Consent.provisionActorComponent;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.StringType;

/**
 * Registry consent ⇄ FHIR R4 Consent (profile {@link ConsentProfiles#CONSENT}, mapping table in
 * docs/consent.md). Reading yields a {@link ConsentInput}, so imports pass the same validation as
 * the REST API.
 */
public final class ConsentFhirMapper {

  public Consent toFhir(ConsentRecord c) {
    Consent fhir = new Consent();
    fhir.setId(c.id());
    fhir.getMeta().addProfile(CONSENT);
    fhir.setStatus(c.revocation() == null ? ConsentState.ACTIVE : ConsentState.INACTIVE);
    fhir.setScope(
        new CodeableConcept(new Coding(CONSENT_SCOPE, "patient-privacy", "Privacy Consent")));
    fhir.addCategory(new CodeableConcept(new Coding(LOINC, "59284-0", "Patient Consent")));
    fhir.setPatient(new Reference().setIdentifier(cpr(c.citizenCpr())));
    fhir.setDateTimeElement(dateTime(c.givenAt()));
    fhir.addPerformer(performer(c));
    fhir.setPolicyRule(
        new CodeableConcept(
            c.type() == ConsentRecord.Type.CONSENT
                ? new Coding(ACT_CODE, "OPTIN", "opt-in")
                : new Coding(ACT_CODE, "OPTOUT", "opt-out")));
    if (c.witness() != null) {
      fhir.addVerification()
          .setVerified(true)
          .setVerifiedWith(new Reference().setDisplay(c.witness()))
          .setVerificationDateElement(dateTime(c.givenAt()));
    }
    fhir.addExtension(EXT_COLLECTED_BY, new StringType(c.collectedBy()));
    fhir.addExtension(EXT_FORM, coding(CS_FORM, c.form()));
    if (c.revocation() != null) {
      Extension revocation = fhir.addExtension().setUrl(EXT_REVOCATION);
      revocation.addExtension("revokedAt", dateTime(c.revocation().revokedAt()));
      revocation.addExtension("revokedBy", new StringType(c.revocation().revokedBy()));
      if (c.revocation().note() != null) {
        revocation.addExtension("note", new StringType(c.revocation().note()));
      }
    }
    fhir.setProvision(provision(c));
    return fhir;
  }

  private static ProvisionComponent provision(ConsentRecord c) {
    ProvisionComponent p = new ProvisionComponent();
    p.setType(
        c.type() == ConsentRecord.Type.CONSENT
            ? ConsentProvisionType.PERMIT
            : ConsentProvisionType.DENY);
    Period period = new Period().setStartElement(dateTime(c.givenAt()));
    if (c.validUntil() != null) {
      period.setEndElement(dateTime(c.validUntil()));
    }
    p.setPeriod(period);
    c.recipients().forEach(r -> p.addActor(actor(r)));
    if (c.purpose() != null) {
      p.addPurpose(new Coding(CS_PURPOSE, c.purpose().code(), c.purpose().display()));
    }
    c.categories().stream()
        .sorted()
        .forEach(
            cat ->
                p.addCode(
                    new CodeableConcept(
                        new Coding(CS_INFORMATION_CATEGORY, cat.code(), cat.display()))));
    return p;
  }

  private static provisionActorComponent actor(ConsentRecipient r) {
    Reference reference = new Reference().setDisplay(r.name());
    if (r.sor() != null) {
      reference
          .setType("Organization")
          .setIdentifier(new Identifier().setSystem(MedComProfiles.SOR_SYSTEM).setValue(r.sor()));
    } else if (r.kind() == RecipientKind.RELATIVE) {
      reference.setType("RelatedPerson");
    } else if (r.name() == null) {
      reference.setDisplay(r.kind().display());
    }
    provisionActorComponent actor =
        new provisionActorComponent()
            .setRole(
                new CodeableConcept(
                    new Coding(PARTICIPATION_TYPE, "IRCP", "information recipient")))
            .setReference(reference);
    actor.addExtension(EXT_RECIPIENT_KIND, coding(CS_RECIPIENT_KIND, r.kind()));
    if (r.relation() != null) {
      actor.addExtension(EXT_RECIPIENT_RELATION, new StringType(r.relation()));
    }
    if (r.municipality() != null) {
      actor.addExtension(EXT_RECIPIENT_MUNICIPALITY, new StringType(r.municipality()));
    }
    return actor;
  }

  private static Reference performer(ConsentRecord c) {
    if (c.givenBy().type() == ConsentRecord.GrantorType.CITIZEN) {
      return new Reference()
          .setType("Patient")
          .setIdentifier(cpr(c.citizenCpr()))
          .setDisplay(c.givenBy().name());
    }
    Reference proxy = new Reference().setType("RelatedPerson").setDisplay(c.givenBy().name());
    proxy.addExtension(EXT_PROXY_AUTHORITY, new StringType(c.givenBy().authority()));
    return proxy;
  }

  /**
   * Reads a Consent back into the gateway's input form; unknown codes are kept so validation names
   * them.
   */
  public ConsentInput fromFhir(Consent fhir) {
    ProvisionComponent p = fhir.getProvision();
    String type = refusal(fhir) ? "refusal" : "consent";
    List<String> categories = new ArrayList<>();
    p.getCode().forEach(cc -> categories.add(cc.getCodingFirstRep().getCode()));
    String purpose = p.getPurpose().isEmpty() ? null : p.getPurposeFirstRep().getCode();
    List<ConsentInput.Recipient> recipients =
        p.getActor().stream().map(ConsentFhirMapper::recipient).toList();
    String witness =
        fhir.getVerification().isEmpty()
            ? null
            : fhir.getVerificationFirstRep().getVerifiedWith().getDisplay();
    return new ConsentInput(
        id(fhir),
        fhir.getPatient().getIdentifier().getValue(),
        type,
        givenBy(fhir),
        recipients,
        categories,
        purpose,
        text(fhir.getDateTimeElement()),
        p.getPeriod().hasEnd() ? text(p.getPeriod().getEndElement()) : null,
        string(fhir.getExtensionByUrl(EXT_COLLECTED_BY)),
        witness,
        code(fhir.getExtensionByUrl(EXT_FORM)),
        revocation(fhir.getExtensionByUrl(EXT_REVOCATION)));
  }

  /** A field of a Consent that cannot be imported as it is, and the rule (docs/consent.md). */
  public record Unimportable(String field, String rule) {}

  /**
   * What makes this Consent unimportable before any registry rule: a withdrawn or not yet given one
   * (FHIR status other than active, unless inactive with this gateway's revocation extension) must
   * not become a consent in force; a provision type contradicting the policy rule, or neither
   * saying permit or deny, must not be guessed to be a permission.
   */
  public List<Unimportable> unimportable(Consent fhir) {
    List<Unimportable> issues = new ArrayList<>();
    ConsentState status = fhir.getStatus();
    boolean revoked = fhir.getExtensionByUrl(EXT_REVOCATION) != null;
    if (status != ConsentState.ACTIVE && !(status == ConsentState.INACTIVE && revoked)) {
      issues.add(new Unimportable("status", "importable-status"));
    }
    ConsentProvisionType type = fhir.getProvision().getType();
    String policy = policyRule(fhir);
    if (type == null && !"OPTIN".equals(policy) && !"OPTOUT".equals(policy)) {
      issues.add(new Unimportable("provision.type", "permit-or-deny"));
    } else if ((type == ConsentProvisionType.PERMIT && "OPTOUT".equals(policy))
        || (type == ConsentProvisionType.DENY && "OPTIN".equals(policy))) {
      issues.add(new Unimportable("provision.type", "matches-policy-rule"));
    }
    // The registry keys consents by CPR number: a patient identified in another system (a
    // replacement CPR, a local id) must not become the consent of whoever has that number.
    Identifier patient = fhir.getPatient().getIdentifier();
    if (patient.hasValue() && !MedComProfiles.CPR_SYSTEM.equals(patient.getSystem())) {
      issues.add(new Unimportable("patient.identifier", "cpr-system"));
    }
    // The registry's consent is in force from when it was given (dateTime): one whose provision
    // starts later would be imported wider, in force before the citizen's consent began.
    Period period = fhir.getProvision().getPeriod();
    if (period.hasStart()
        && fhir.hasDateTime()
        && period.getStart().toInstant().isAfter(fhir.getDateTime().toInstant())) {
      issues.add(new Unimportable("provision.period.start", "period-start"));
    }
    // A consent's first purpose alone is narrower than the consent; a refusal's is not: the
    // refusal would stop less than the citizen refused.
    if (refusal(fhir) && fhir.getProvision().getPurpose().size() > 1) {
      issues.add(new Unimportable("provision.purpose", "one-purpose"));
    }
    issues.addAll(unrepresentable(fhir.getProvision()));
    return issues;
  }

  /**
   * What the registry could only import by dropping it, which would widen the consent: nested
   * provisions (exceptions), restrictions by action, data, data period, class or security label,
   * actors that are not recipients (a custodian would become one), and codes of another code system
   * (matched by their text alone).
   */
  private static List<Unimportable> unrepresentable(ProvisionComponent p) {
    List<Unimportable> issues = new ArrayList<>();
    if (p.hasProvision()) {
      issues.add(new Unimportable("provision.provision", "no-nested-provisions"));
    }
    if (p.hasAction()
        || p.hasData()
        || p.hasDataPeriod()
        || p.hasClass_()
        || p.hasSecurityLabel()) {
      issues.add(new Unimportable("provision", "no-other-restrictions"));
    }
    for (int i = 0; i < p.getActor().size(); i++) {
      boolean recipient =
          p.getActor().get(i).getRole().getCoding().stream()
              .anyMatch(
                  c ->
                      PARTICIPATION_TYPE.equals(c.getSystem())
                          && RECIPIENT_ROLES.contains(c.getCode()));
      if (!recipient) {
        issues.add(new Unimportable("provision.actor[" + i + "].role", "recipient-role"));
      }
    }
    for (int i = 0; i < p.getCode().size(); i++) {
      if (!CS_INFORMATION_CATEGORY.equals(p.getCode().get(i).getCodingFirstRep().getSystem())) {
        issues.add(new Unimportable("provision.code[" + i + "]", "code-system"));
      }
    }
    for (int i = 0; i < p.getPurpose().size(); i++) {
      if (!CS_PURPOSE.equals(p.getPurpose().get(i).getSystem())) {
        issues.add(new Unimportable("provision.purpose[" + i + "]", "code-system"));
      }
    }
    return issues;
  }

  /** v3-ParticipationType: information recipient, primary information recipient. */
  private static final Set<String> RECIPIENT_ROLES = Set.of("IRCP", "PRCP");

  // provision.type is optional in R4: without it, the policy rule says opt-in or opt-out.
  private static boolean refusal(Consent fhir) {
    ConsentProvisionType type = fhir.getProvision().getType();
    return type == ConsentProvisionType.DENY || (type == null && "OPTOUT".equals(policyRule(fhir)));
  }

  private static String policyRule(Consent fhir) {
    return fhir.hasPolicyRule() ? fhir.getPolicyRule().getCodingFirstRep().getCode() : null;
  }

  // In a Bundle, HAPI gives the resource the entry's fullUrl (urn:uuid:...) as its id.
  private static String id(Consent fhir) {
    String value = fhir.getIdElement().getValue();
    if (value != null && value.startsWith("urn:uuid:")) {
      return value.substring("urn:uuid:".length());
    }
    return fhir.getIdElement().getIdPart();
  }

  private static ConsentInput.GivenBy givenBy(Consent fhir) {
    if (!fhir.hasPerformer()) {
      return null;
    }
    Reference performer = fhir.getPerformerFirstRep();
    if ("RelatedPerson".equals(performer.getType())) {
      return new ConsentInput.GivenBy(
          "proxy",
          performer.getDisplay(),
          string(performer.getExtensionByUrl(EXT_PROXY_AUTHORITY)));
    }
    return new ConsentInput.GivenBy("citizen", performer.getDisplay(), null);
  }

  private static ConsentInput.Recipient recipient(provisionActorComponent actor) {
    Reference ref = actor.getReference();
    String sor =
        MedComProfiles.SOR_SYSTEM.equals(ref.getIdentifier().getSystem())
            ? ref.getIdentifier().getValue()
            : null;
    String kind = code(actor.getExtensionByUrl(EXT_RECIPIENT_KIND));
    if (kind == null && sor != null) {
      kind = RecipientKind.ORGANISATION.code();
    }
    String name =
        kind != null
                && ref.getDisplay() != null
                && CodedValue.byCode(RecipientKind.class, kind)
                    .map(k -> k.display().equals(ref.getDisplay()))
                    .orElse(false)
            ? null
            : ref.getDisplay();
    return new ConsentInput.Recipient(
        kind,
        sor,
        name,
        string(actor.getExtensionByUrl(EXT_RECIPIENT_RELATION)),
        string(actor.getExtensionByUrl(EXT_RECIPIENT_MUNICIPALITY)));
  }

  private static ConsentInput.Revocation revocation(Extension ext) {
    if (ext == null) {
      return null;
    }
    Extension at = ext.getExtensionByUrl("revokedAt");
    return new ConsentInput.Revocation(
        at == null ? null : ((DateTimeType) at.getValue()).getValueAsString(),
        string(ext.getExtensionByUrl("revokedBy")),
        string(ext.getExtensionByUrl("note")));
  }

  private static Identifier cpr(String cpr) {
    return new Identifier().setSystem(MedComProfiles.CPR_SYSTEM).setValue(cpr);
  }

  private static Coding coding(String system, CodedValue value) {
    return new Coding(system, value.code(), value.display());
  }

  private static DateTimeType dateTime(OffsetDateTime t) {
    return new DateTimeType(DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(t));
  }

  private static String text(DateTimeType t) {
    return t == null || t.isEmpty() ? null : t.getValueAsString();
  }

  private static String string(Extension ext) {
    return ext == null || ext.getValue() == null ? null : ext.getValue().primitiveValue();
  }

  private static String code(Extension ext) {
    return ext == null || !(ext.getValue() instanceof Coding coding) ? null : coding.getCode();
  }
}
