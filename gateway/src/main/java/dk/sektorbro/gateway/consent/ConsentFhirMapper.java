package dk.sektorbro.gateway.consent;

import static dk.sektorbro.gateway.consent.ConsentProfiles.*;

import dk.sektorbro.gateway.medcom.MedComProfiles;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
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
    String type = p.getType() == ConsentProvisionType.DENY ? "refusal" : "consent";
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
