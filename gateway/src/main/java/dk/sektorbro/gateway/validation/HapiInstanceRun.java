package dk.sektorbro.gateway.validation;

import ca.uhn.fhir.util.XmlUtil;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedDeque;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;
import org.hl7.fhir.common.hapi.validation.validator.FhirInstanceValidator;
import org.hl7.fhir.exceptions.FHIRException;
import org.hl7.fhir.r5.context.IWorkerContext;
import org.hl7.fhir.r5.elementmodel.Manager.FhirFormat;
import org.hl7.fhir.r5.model.StructureDefinition;
import org.hl7.fhir.r5.utils.validation.ValidatorSession;
import org.hl7.fhir.r5.utils.validation.constants.IdStatus;
import org.hl7.fhir.r5.utils.xver.XVerExtensionManagerOld;
import org.hl7.fhir.utilities.i18n.I18nConstants;
import org.hl7.fhir.utilities.validation.ValidationMessage;
import org.hl7.fhir.validation.ValidatorSettings;
import org.hl7.fhir.validation.instance.InstanceValidator;
import org.w3c.dom.Document;
import org.w3c.dom.NodeList;

/**
 * What HAPI's {@code ValidatorWrapper} does for one message, without its per-call costs: an {@link
 * InstanceValidator} (building one reloads an OID table and creates parsers) is taken from a small
 * pool, built with exactly the settings {@code ValidatorWrapper} gives a fresh one, and given back
 * after the message; the declared profiles are read by a streaming scan instead of a DOM or Gson
 * parse, and the findings are filtered and promoted as {@code ValidatorWrapper} does. An instance
 * is renewed every {@value #RENEW_AFTER} messages so per-message bookkeeping inside it cannot grow
 * without bound.
 *
 * <p>A pool rather than one instance per thread: the pool holds only as many instances as messages
 * were validated at the same time (the validation workers), where per-thread instances stayed on
 * every thread that ever validated (start-up, recovery, inbound, each test context). All instances
 * share one OID table ({@link SharedOids}): each would otherwise hold its own 21,000 entries (about
 * 4 MB).
 */
final class HapiInstanceRun {

  static final int RENEW_AFTER = 200;

  private static final JsonFactory JSON = new JsonFactory();
  private static final XMLInputFactory XML = xmlFactory();

  private final IWorkerContext context;
  private final FhirInstanceValidator settings;
  private final ConcurrentLinkedDeque<Reused> idle = new ConcurrentLinkedDeque<>();

  HapiInstanceRun(IWorkerContext context, FhirInstanceValidator settings) {
    this.context = context;
    this.settings = settings;
  }

  private static final class Reused {
    final InstanceValidator validator;
    int uses;

    Reused(InstanceValidator validator) {
      this.validator = validator;
    }
  }

  List<ValidationMessage> validate(String message) {
    boolean xml = isXml(message);
    List<ValidationMessage> messages = new ArrayList<>();
    List<StructureDefinition> profiles = new ArrayList<>();
    List<ValidationMessage> unknownProfiles = new ArrayList<>();
    List<String> declared;
    try {
      declared = xml ? xmlProfiles(message) : jsonProfiles(message);
    } catch (XMLStreamException | RuntimeException e) {
      if (!xml) {
        throw new IllegalArgumentException("message is not JSON", e);
      }
      // Our streaming check is stricter in places (DOCTYPE): HAPI's own DOM parse decides.
      Document document;
      try {
        document = XmlUtil.parseDocument(message);
      } catch (Exception notXml) {
        ValidationMessage m = new ValidationMessage();
        m.setLevel(ValidationMessage.IssueSeverity.FATAL);
        m.setMessage(
            "Failed to parse input, it does not appear to be valid XML:" + notXml.getMessage());
        return List.of(m);
      }
      declared = domProfiles(document);
    } catch (IOException e) {
      // ValidatorWrapper parses JSON with Gson and lets its exception escape; so do we.
      throw new IllegalArgumentException("message is not JSON", e);
    }
    for (String url : declared) {
      fetchAndAddProfile(url, profiles, unknownProfiles);
    }
    Reused reused = acquire();
    // An instance whose run threw is not given back: its state is whatever the exception left.
    reused.validator.validate(
        null,
        messages,
        new ByteArrayInputStream(message.getBytes(StandardCharsets.UTF_8)),
        xml ? FhirFormat.XML : FhirFormat.JSON,
        profiles);
    release(reused);
    if (profiles.isEmpty() && !unknownProfiles.isEmpty()) {
      messages.addAll(unknownProfiles);
    }
    List<ValidationMessage> kept = new ArrayList<>(messages.size());
    for (ValidationMessage m : messages) {
      if (!suppressed(m)) {
        kept.add(m);
      }
    }
    // ValidatorWrapper (HAPI 8.8.0): an unknown profile is an error in strict chains, else a
    // warning.
    for (ValidationMessage m : kept) {
      if (I18nConstants.VALIDATION_VAL_PROFILE_UNKNOWN.equals(m.getMessageId())
          || I18nConstants.VALIDATION_VAL_PROFILE_UNKNOWN_NOT_POLICY.equals(m.getMessageId())) {
        m.setLevel(
            settings.isErrorForUnknownProfiles()
                ? ValidationMessage.IssueSeverity.ERROR
                : ValidationMessage.IssueSeverity.WARNING);
      }
    }
    return kept;
  }

  private Reused acquire() {
    Reused reused = idle.pollFirst();
    if (reused == null) {
      reused = new Reused(newInstanceValidator());
    }
    reused.uses++;
    return reused;
  }

  private void release(Reused reused) {
    if (reused.uses < RENEW_AFTER) {
      idle.offerFirst(reused);
    }
  }

  /** Instances waiting in the pool (tests). */
  int pooled() {
    return idle.size();
  }

  // The settings ValidatorWrapper.validate applies to each new InstanceValidator (HAPI 8.8.0).
  private InstanceValidator newInstanceValidator() {
    InstanceValidator v =
        new InstanceValidator(
            context,
            settings.getHostApplicationServices() != null
                ? settings.getHostApplicationServices()
                : new FhirInstanceValidator.NullEvaluationContext(),
            new XVerExtensionManagerOld(context),
            new ValidatorSession(),
            new ValidatorSettings());
    v.setAssumeValidRestReferences(settings.isAssumeValidRestReferences());
    v.setBestPracticeWarningLevel(settings.getBestPracticeWarningLevel());
    v.setAnyExtensionsAllowed(settings.isAnyExtensionsAllowed());
    v.setResourceIdRule(IdStatus.OPTIONAL);
    v.setNoTerminologyChecks(settings.isNoTerminologyChecks());
    v.setErrorForUnknownProfiles(settings.isErrorForUnknownProfiles());
    v.setUnknownCodeSystemsCauseErrors(true);
    v.getExtensionDomains().addAll(settings.getExtensionDomains());
    v.setFetcher(settings.getValidatorResourceFetcher());
    v.setPolicyAdvisor(settings.getValidatorPolicyAdvisor());
    v.setNoExtensibleWarnings(settings.isNoExtensibleWarnings());
    v.setNoBindingMsgSuppressed(settings.isNoBindingMsgSuppressed());
    v.setAllowExamples(settings.isAllowExamples());
    v.setAllowXsiLocation(true);
    SharedOids.install(v);
    return v;
  }

  private void fetchAndAddProfile(
      String url, List<StructureDefinition> profiles, List<ValidationMessage> unknown) {
    try {
      StructureDefinition definition = context.fetchResource(StructureDefinition.class, url);
      if (definition != null) {
        profiles.add(definition);
      } else {
        ValidationMessage m = new ValidationMessage();
        m.setMessageId(I18nConstants.VALIDATION_VAL_PROFILE_UNKNOWN);
        m.setLevel(ValidationMessage.IssueSeverity.ERROR);
        m.setMessage("Invalid profile. Failed to retrieve profile with url=" + url);
        unknown.add(m);
      }
    } catch (FHIRException e) {
      // as ValidatorWrapper: a profile that cannot be loaded is skipped
    }
  }

  private static boolean suppressed(ValidationMessage m) {
    String id = m.getMessageId();
    return id != null
        && (id.equals(I18nConstants.TERMINOLOGY_TX_BINDING_NOSOURCE)
            || (id.equals(I18nConstants.TERMINOLOGY_TX_VALUESET_NOTFOUND)
                && m.getMessage().contains("http://hl7.org/fhir/ValueSet/mimetypes")));
  }

  static boolean isXml(String message) {
    for (int i = 0; i < message.length(); i++) {
      char c = message.charAt(i);
      if (!Character.isWhitespace(c) && c != '\uFEFF') {
        return c == '<';
      }
    }
    return false;
  }

  /** meta.profile of the root resource, as ValidatorWrapper reads it from Gson's tree. */
  static List<String> jsonProfiles(String message) throws IOException {
    List<String> found = new ArrayList<>();
    try (JsonParser p = JSON.createParser(message)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        throw new IOException("not a JSON object");
      }
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        JsonToken value = p.nextToken();
        if ("meta".equals(field) && value == JsonToken.START_OBJECT) {
          found.clear();
          while (p.nextToken() == JsonToken.FIELD_NAME) {
            String metaField = p.currentName();
            JsonToken metaValue = p.nextToken();
            if ("profile".equals(metaField) && metaValue == JsonToken.START_ARRAY) {
              found.clear();
              while (p.nextToken() != JsonToken.END_ARRAY) {
                if (p.currentToken().isStructStart()) {
                  throw new IOException("profile entry is not a string");
                }
                found.add(p.getValueAsString());
              }
            } else {
              p.skipChildren();
            }
          }
        } else {
          p.skipChildren();
        }
      }
      // Gson reads the whole text: trailing garbage or a truncated document fails it.
      while (p.nextToken() != null) {
        // keep reading to the end
      }
    }
    return found;
  }

  /**
   * meta.profile of the root as ValidatorWrapper reads it from the DOM (first node's children named
   * "meta" ignoring case, their "profile" children's first attribute), after checking the whole
   * document is well-formed XML.
   */
  static List<String> xmlProfiles(String message) throws XMLStreamException {
    if (message.contains("<!DOCTYPE") || message.contains("<!doctype")) {
      throw new XMLStreamException("DOCTYPE: checked by HAPI's own parser");
    }
    List<String> found = new ArrayList<>();
    XMLStreamReader r = XML.createXMLStreamReader(new StringReader(message));
    try {
      int depth = 0;
      boolean firstNode = true;
      boolean rootIsFirst = false;
      boolean inMeta = false;
      boolean metaDone = false;
      while (r.hasNext()) {
        int event = r.next();
        if (depth == 0
            && firstNode
            && (event == XMLStreamConstants.COMMENT
                || event == XMLStreamConstants.PROCESSING_INSTRUCTION)) {
          firstNode = false;
        }
        if (event == XMLStreamConstants.START_ELEMENT) {
          if (depth == 0 && firstNode) {
            rootIsFirst = true;
            firstNode = false;
          }
          depth++;
          String local = r.getLocalName();
          if (rootIsFirst && !metaDone && depth == 2 && qualified(r).equalsIgnoreCase("meta")) {
            inMeta = true;
          } else if (inMeta
              && depth == 3
              && qualified(r).equalsIgnoreCase("profile")
              && r.getAttributeCount() > 0) {
            found.add(r.getAttributeValue(0));
          }
          if (local == null) {
            throw new XMLStreamException("element without name");
          }
        } else if (event == XMLStreamConstants.END_ELEMENT) {
          if (inMeta && depth == 2) {
            inMeta = false;
            metaDone = true;
          }
          depth--;
        }
      }
    } finally {
      r.close();
    }
    return found;
  }

  private static String qualified(XMLStreamReader r) {
    String prefix = r.getPrefix();
    return prefix == null || prefix.isEmpty() ? r.getLocalName() : prefix + ":" + r.getLocalName();
  }

  // ValidatorWrapper.determineIfProfilesSpecified
  private static List<String> domProfiles(Document document) {
    List<String> found = new ArrayList<>();
    NodeList list = document.getChildNodes().item(0).getChildNodes();
    for (int i = 0; i < list.getLength(); i++) {
      if (list.item(i).getNodeName().compareToIgnoreCase("meta") == 0) {
        NodeList meta = list.item(i).getChildNodes();
        for (int j = 0; j < meta.getLength(); j++) {
          if (meta.item(j).getNodeName().compareToIgnoreCase("profile") == 0) {
            found.add(meta.item(j).getAttributes().item(0).getNodeValue());
          }
        }
        break;
      }
    }
    return found;
  }

  private static XMLInputFactory xmlFactory() {
    XMLInputFactory factory = XMLInputFactory.newFactory();
    factory.setProperty(XMLInputFactory.SUPPORT_DTD, false);
    factory.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
    factory.setProperty(XMLInputFactory.IS_NAMESPACE_AWARE, true);
    return factory;
  }
}
