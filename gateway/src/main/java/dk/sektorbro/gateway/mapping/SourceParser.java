package dk.sektorbro.gateway.mapping;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Document;
import org.xml.sax.ErrorHandler;
import org.xml.sax.SAXException;
import org.xml.sax.SAXParseException;

/**
 * Turns raw bytes into a {@link SourceNode}, refusing anything unsafe or malformed. Error messages
 * give a position and a kind, never a piece of the content (which may be personal data).
 */
final class SourceParser {

  /** Records are flat; anything nested deeper is an attack on the parser or the stack. */
  static final int MAX_DEPTH = 64;

  private static final ObjectMapper JSON =
      JsonMapper.builder()
          .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .build();

  static {
    JSON.getFactory()
        .setStreamReadConstraints(
            StreamReadConstraints.builder().maxNestingDepth(MAX_DEPTH).build());
  }

  // The JDK's default handler prints parser messages to stderr; errors must only travel as
  // exceptions.
  private static final ErrorHandler THROWING_ERROR_HANDLER =
      new ErrorHandler() {
        @Override
        public void warning(SAXParseException e) {}

        @Override
        public void error(SAXParseException e) throws SAXException {
          throw e;
        }

        @Override
        public void fatalError(SAXParseException e) throws SAXException {
          throw e;
        }
      };

  private SourceParser() {}

  static SourceNode parse(RecordFormat format, byte[] payload) throws MalformedRecordException {
    if (payload.length == 0 || new String(payload, StandardCharsets.ISO_8859_1).isBlank()) {
      throw new MalformedRecordException("the payload is empty");
    }
    return format == RecordFormat.JSON ? parseJson(payload) : parseXml(payload);
  }

  private static SourceNode parseJson(byte[] payload) throws MalformedRecordException {
    requireUtf8(payload, "JSON must be UTF-8 encoded (RFC 8259)");
    try {
      JsonNode root = JSON.readTree(payload);
      if (root == null || !root.isObject()) {
        throw new MalformedRecordException("malformed JSON: the record must be a JSON object");
      }
      return new JsonSourceNode(root);
    } catch (JsonProcessingException e) {
      JsonLocation at = e.getLocation();
      String where =
          at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
      throw new MalformedRecordException("malformed JSON" + where + jsonProblem(e));
    } catch (IOException e) {
      throw new MalformedRecordException("malformed JSON: the payload cannot be read");
    }
  }

  private static SourceNode parseXml(byte[] payload) throws MalformedRecordException {
    try {
      Document document = newDocumentBuilder().parse(new ByteArrayInputStream(payload));
      return new XmlSourceNode(document.getDocumentElement());
    } catch (SAXParseException e) {
      if (e.getMessage() != null && e.getMessage().contains("DOCTYPE")) {
        throw new MalformedRecordException(
            "XML with a DOCTYPE declaration is refused (no DTDs or external entities are processed)");
      }
      if (e.getMessage() != null && e.getMessage().contains("maxElementDepth")) {
        throw new MalformedRecordException(
            "malformed XML at line "
                + e.getLineNumber()
                + ": nested deeper than "
                + MAX_DEPTH
                + " levels (rule: max-depth)");
      }
      throw new MalformedRecordException(
          "malformed XML at line "
              + e.getLineNumber()
              + ", column "
              + e.getColumnNumber()
              + describeXmlError(e));
    } catch (SAXException | IOException e) {
      throw new MalformedRecordException("malformed XML: the payload cannot be parsed");
    }
  }

  // The kinds worth naming; the parser's own text may quote content and is left out.
  private static String jsonProblem(JsonProcessingException e) {
    String message = String.valueOf(e.getOriginalMessage());
    if (e instanceof StreamConstraintsException && message.contains("nesting")) {
      return ": nested deeper than " + MAX_DEPTH + " levels (rule: max-depth)";
    }
    if (message.startsWith("Duplicate field")) {
      return ": the same key appears twice in one object (rule: duplicate-key)";
    }
    if (message.contains("control character") || message.contains("CTRL-CHAR")) {
      return ": an unescaped control character in a string (rule: json-control-character)";
    }
    return "";
  }

  // Encoding errors are worth naming; other parser messages may quote content and are left out.
  private static String describeXmlError(SAXParseException e) {
    String message = String.valueOf(e.getMessage());
    if (message.contains("UTF-8") || message.contains("byte")) {
      return ": the bytes do not match the declared encoding";
    }
    return "";
  }

  private static void requireUtf8(byte[] payload, String reason) throws MalformedRecordException {
    try {
      StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(payload));
    } catch (CharacterCodingException e) {
      throw new MalformedRecordException("wrong encoding: " + reason);
    }
  }

  // XXE-safe parser: no DOCTYPE at all, no external entities, no XInclude.
  private static DocumentBuilder newDocumentBuilder() throws MalformedRecordException {
    try {
      DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
      factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
      factory.setFeature("http://xml.org/sax/features/external-general-entities", false);
      factory.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
      factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
      factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
      factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
      factory.setAttribute("jdk.xml.maxElementDepth", MAX_DEPTH);
      factory.setXIncludeAware(false);
      factory.setExpandEntityReferences(false);
      factory.setNamespaceAware(false);
      DocumentBuilder builder = factory.newDocumentBuilder();
      builder.setErrorHandler(THROWING_ERROR_HANDLER);
      return builder;
    } catch (ParserConfigurationException e) {
      throw new IllegalStateException("XML parser cannot be configured safely", e);
    }
  }

  /** The payload cannot be read as the source's format. */
  static final class MalformedRecordException extends Exception {
    MalformedRecordException(String message) {
      super(message);
    }
  }
}
