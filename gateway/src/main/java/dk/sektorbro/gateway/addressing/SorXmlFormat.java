package dk.sektorbro.gateway.addressing;

import java.io.CharConversionException;
import java.io.InputStream;
import java.nio.charset.CharacterCodingException;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.Set;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * Streams the official SOR XML export (SorTree → InstitutionOwnerEntity → HealthInstitutionEntity →
 * OrganizationalUnitEntity, recursive; addressing.md §2) unit by unit, so a national export never
 * sits in memory as a tree. DTDs and external entities are off (XXE). Unknown elements are ignored
 * and reported once each; a unit without a usable SOR code or name is rejected.
 */
public final class SorXmlFormat implements RegistryFormat {

  /** Every element the reader knows; anything else is reported as ignored. */
  private static final Set<String> KNOWN =
      Set.of(
          "SorTree",
          "CreatedAtTime",
          "SnapshotDate",
          "InstitutionOwnerEntity",
          "InstitutionOwner",
          "HealthInstitutionEntity",
          "HealthInstitution",
          "OrganizationalUnitEntity",
          "OrganizationalUnit",
          "SorIdentifier",
          "EntityName",
          "OwnerType",
          "InstitutionType",
          "UnitType",
          "ShakIdentifier",
          "ProviderIdentifier",
          "PharmacyIdentifier",
          "LocalCode",
          "OptionalEanLocationCode",
          "EntityInheritedIndicator",
          "EanLocationCodeEntity",
          "EanLocationCode",
          "OnlyInternalIndicator",
          "NonActiveIndicator",
          "SystemSupplier",
          "SystemType",
          "CommunicationSupplier",
          "RegionCode",
          "EdiAdministrator",
          "SorNote",
          "SorStatus",
          "FromDate",
          "ToDate",
          "UpdatedAt",
          "FirstFromDate",
          "ReplacedByEntityCollection",
          "ReplacesEntityCollection",
          "GeographicalParent",
          "GeographicalParentRelation",
          "GeographicalParentSorIdentifier",
          "PostalAddressInformation",
          "VisitingAddressInformation",
          "ActivityAddressInformation",
          "VirtualAddressInformation",
          "ClinicalSpecialityCollection",
          "OrganizationalUnitInformation",
          "LocalAttributeCollection",
          "EdiMessageTypeCollection",
          "ReceivesMessageType",
          "SendsMessageType");

  /** Containers whose content addressing does not use: their inner elements are not reported. */
  private static final Set<String> OPAQUE =
      Set.of(
          "PostalAddressInformation",
          "VisitingAddressInformation",
          "ActivityAddressInformation",
          "VirtualAddressInformation",
          "ClinicalSpecialityCollection",
          "OrganizationalUnitInformation",
          "LocalAttributeCollection",
          "GeographicalParent",
          "SorNote");

  @Override
  public String source() {
    return "SOR_XML";
  }

  @Override
  public LocalDate read(InputStream in, SnapshotBuilder builder, ImportProgress progress) {
    XMLStreamReader xml = null;
    try {
      xml = factory().createXMLStreamReader(in);
      return new Reader(xml, builder, progress).run();
    } catch (XMLStreamException e) {
      int line = e.getLocation() == null ? -1 : e.getLocation().getLineNumber();
      throw new ImportFailure("SOR XML is not well-formed (line " + line + ")");
    } catch (ImportFailure e) {
      throw e;
    } catch (RuntimeException e) {
      // A parser may report a broken byte sequence (an upload cut inside "æ", "ø" or "å") lazily,
      // as an
      // unchecked exception from the text it decodes: it is still bad input, not a server error.
      if (decodingProblem(e)) {
        throw new ImportFailure("SOR XML is not well-formed: a broken or cut-off UTF-8 character");
      }
      throw e;
    } finally {
      close(xml);
    }
  }

  private static boolean decodingProblem(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof XMLStreamException
          || t instanceof CharConversionException
          || t instanceof CharacterCodingException) {
        return true;
      }
    }
    return false;
  }

  static XMLInputFactory factory() {
    XMLInputFactory factory = XMLInputFactory.newFactory();
    factory.setProperty(XMLInputFactory.SUPPORT_DTD, false);
    factory.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
    factory.setProperty(XMLInputFactory.IS_COALESCING, true);
    return factory;
  }

  private static void close(XMLStreamReader xml) {
    if (xml != null) {
      try {
        xml.close();
      } catch (XMLStreamException ignored) {
        // nothing left to release
      }
    }
  }

  /** One pass over the document; state is the stack of enclosing units and the element path. */
  private static final class Reader {
    private final XMLStreamReader xml;
    private final SnapshotBuilder builder;
    private final ImportProgress progress;
    private final Deque<String> parents = new ArrayDeque<>();
    private final Deque<String> path = new ArrayDeque<>();
    private final Set<String> ignored = new LinkedHashSet<>();
    private final StringBuilder text = new StringBuilder();
    private SorUnitDraft unit;
    private LocalDate snapshotDate;
    private boolean sawRoot;

    Reader(XMLStreamReader xml, SnapshotBuilder builder, ImportProgress progress) {
      this.xml = xml;
      this.builder = builder;
      this.progress = progress;
    }

    LocalDate run() throws XMLStreamException {
      while (xml.hasNext()) {
        switch (xml.next()) {
          case XMLStreamConstants.START_ELEMENT -> start(xml.getLocalName());
          case XMLStreamConstants.CHARACTERS, XMLStreamConstants.CDATA ->
              text.append(xml.getText());
          case XMLStreamConstants.END_ELEMENT -> end(xml.getLocalName());
          default -> {}
        }
      }
      if (!sawRoot) {
        throw new ImportFailure("not a SOR XML export: the root element must be SorTree");
      }
      ignored.forEach(name -> builder.reject("element " + name, "unknown element, ignored"));
      return snapshotDate;
    }

    private void start(String name) {
      if (path.isEmpty() && !name.equals("SorTree")) {
        throw new ImportFailure("not a SOR XML export: the root element must be SorTree");
      }
      sawRoot = true;
      if (!KNOWN.contains(name) && path.stream().noneMatch(OPAQUE::contains)) {
        ignored.add(name);
      }
      path.push(name);
      text.setLength(0);
      switch (name) {
        case "InstitutionOwner" -> unit = new SorUnitDraft(RegistryUnit.Level.IE, parents.peek());
        case "HealthInstitution" -> unit = new SorUnitDraft(RegistryUnit.Level.SI, parents.peek());
        case "OrganizationalUnit" -> unit = new SorUnitDraft(RegistryUnit.Level.OE, parents.peek());
        case "EanLocationCodeEntity" -> {
          if (unit != null) {
            unit.startLocation();
          }
        }
        default -> {}
      }
    }

    private void end(String name) {
      String value = text.toString().strip();
      text.setLength(0);
      path.pop();
      String parent = path.peek();
      switch (name) {
        case "InstitutionOwner", "HealthInstitution", "OrganizationalUnit" -> finishUnit();
        case "InstitutionOwnerEntity", "HealthInstitutionEntity", "OrganizationalUnitEntity" -> {
          if (!parents.isEmpty()) {
            parents.pop();
          }
        }
        case "SnapshotDate" -> snapshotDate = date(value);
        default -> {
          if (unit != null && (!value.isEmpty() || name.equals("EanLocationCodeEntity"))) {
            unit.field(name, parent, value);
          }
        }
      }
    }

    private void finishUnit() {
      SorUnitDraft done = unit;
      unit = null;
      progress.unitRead();
      // The entity's children follow the unit element: push even a rejected unit so its
      // subtree is reported as orphaned instead of being attached to the grandparent.
      parents.push(done.sorId() == null ? "unidentified" : done.sorId());
      done.emit(builder);
    }
  }

  static LocalDate date(String value) {
    if (value == null || value.length() < 10) {
      return null;
    }
    try {
      return LocalDate.parse(value.substring(0, 10));
    } catch (DateTimeParseException e) {
      return null;
    }
  }
}
