package dk.sektorbro.gateway.addressing;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.OffsetDateTime;
import javax.sql.DataSource;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;
import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcDataSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Not a test: generates a SOR XML export of N units (default 50,000), imports it the way the
 * gateway does (stream, compute, store in an H2 file database in PostgreSQL mode, load into memory)
 * and prints time and peak heap. Command and numbers: docs/addressing.md.
 */
public final class RegistryImportBenchmark {

  private static final int INSTITUTIONS_PER_OWNER = 10;
  private static final int UNITS_PER_INSTITUTION = 48;

  public static void main(String[] args) throws Exception {
    int units = args.length > 0 ? Integer.parseInt(args[0]) : 50_000;
    Path dir = Files.createTempDirectory("sor-benchmark-");
    Path export = dir.resolve("sor-export.xml");
    int written = generate(export, units);
    System.out.printf("generated units=%d file=%.1f MB%n", written, Files.size(export) / 1e6);

    // "postgres" as second argument: an embedded PostgreSQL (zonky) instead of the H2 default.
    boolean postgres = args.length > 1 && args[1].equals("postgres");
    EmbeddedPostgres pg = postgres ? EmbeddedPostgres.start() : null;
    DataSource db = postgres ? pg.getPostgresDatabase() : h2(dir);
    Flyway.configure().dataSource(db).locations("classpath:db/migration").load().migrate();
    RegistryRepository repository =
        new RegistryRepository(JdbcClient.create(db), new NamedParameterJdbcTemplate(db));
    RegistryImporter importer =
        new RegistryImporter(
            repository,
            new TransactionTemplate(new DataSourceTransactionManager(db)),
            Clock.systemUTC());

    System.gc();
    resetPeaks();
    long start = System.nanoTime();
    RegistryImporter.Imported imported;
    try (RegistryUpload upload = RegistryUpload.of(export)) {
      imported =
          importer.store(
              upload,
              new SorXmlFormat(),
              new ImportProgress("bench", "SOR_XML", OffsetDateTime.now()),
              5);
    }
    long importMs = (System.nanoTime() - start) / 1_000_000;
    long importPeak = peakHeap();

    resetPeaks();
    start = System.nanoTime();
    String id = imported.snapshot().id();
    RegistrySnapshot loaded =
        new RegistrySnapshot(imported.snapshot(), repository.units(id), repository.locations(id));
    long loadMs = (System.nanoTime() - start) / 1_000_000;
    System.gc();
    long retained = usedHeap();

    System.out.printf(
        "import (stream+compute+store) units=%d locations=%d rejected=%d time=%d ms peakHeap=%d MB%n",
        imported.snapshot().units(),
        imported.snapshot().locations(),
        imported.snapshot().rejected(),
        importMs,
        importPeak >> 20);
    System.out.printf(
        "load active snapshot from database time=%d ms units=%d heapAfterGc=%d MB (max heap %d MB)%n",
        loadMs, loaded.units().size(), retained >> 20, Runtime.getRuntime().maxMemory() >> 20);
    if (pg != null) {
      pg.close();
    }
  }

  /**
   * A national-looking tree: owners → institutions → wards with nested sections; some closed with
   * successors.
   */
  static int generate(Path file, int target) throws Exception {
    int owners =
        Math.max(1, target / (1 + INSTITUTIONS_PER_OWNER * (1 + UNITS_PER_INSTITUTION)) + 1);
    int[] next = {1};
    try (OutputStream out = Files.newOutputStream(file)) {
      XMLStreamWriter xml = XMLOutputFactory.newFactory().createXMLStreamWriter(out, "UTF-8");
      xml.writeStartDocument("UTF-8", "1.0");
      xml.writeStartElement("SorTree");
      text(xml, "SnapshotDate", "2026-11-20");
      for (int o = 0; o < owners && next[0] <= target; o++) {
        xml.writeStartElement("InstitutionOwnerEntity");
        unit(xml, "InstitutionOwner", next[0]++, false, false, null);
        for (int i = 0; i < INSTITUTIONS_PER_OWNER && next[0] <= target; i++) {
          xml.writeStartElement("HealthInstitutionEntity");
          int institution = next[0]++;
          unit(xml, "HealthInstitution", institution, true, false, null);
          for (int u = 0; u < UNITS_PER_INSTITUTION && next[0] <= target; u++) {
            xml.writeStartElement("OrganizationalUnitEntity");
            int id = next[0]++;
            boolean closed = u % 50 == 49;
            unit(xml, "OrganizationalUnit", id, u % 4 == 0, closed, closed ? id - 1 : null);
            if (u % 3 == 0 && next[0] <= target) {
              xml.writeStartElement("OrganizationalUnitEntity");
              unit(xml, "OrganizationalUnit", next[0]++, false, false, null);
              xml.writeEndElement();
              u++;
            }
            xml.writeEndElement();
          }
          xml.writeEndElement();
        }
        xml.writeEndElement();
      }
      xml.writeEndElement();
      xml.writeEndDocument();
      xml.close();
    }
    return next[0] - 1;
  }

  private static void unit(
      XMLStreamWriter xml,
      String element,
      int item,
      boolean ownEan,
      boolean closed,
      Integer successor)
      throws XMLStreamException {
    xml.writeStartElement(element);
    text(xml, "SorIdentifier", Codes.sor(item));
    text(xml, "EntityName", "Generated unit " + item);
    xml.writeStartElement("OptionalEanLocationCode");
    if (ownEan) {
      xml.writeStartElement("EanLocationCodeEntity");
      text(xml, "EanLocationCode", Codes.gln(item));
      text(xml, "OnlyInternalIndicator", "false");
      text(xml, "NonActiveIndicator", String.valueOf(closed));
      xml.writeStartElement("EdiMessageTypeCollection");
      text(xml, "ReceivesMessageType", "FDIS91");
      text(xml, "ReceivesMessageType", "FCTL");
      xml.writeEndElement();
      xml.writeEndElement();
    } else {
      text(xml, "EntityInheritedIndicator", "true");
    }
    xml.writeEndElement();
    xml.writeStartElement("SorStatus");
    text(xml, "FromDate", "2015-01-01");
    if (closed) {
      text(xml, "ToDate", "2026-01-31");
    }
    xml.writeEndElement();
    if (successor != null) {
      xml.writeStartElement("ReplacedByEntityCollection");
      text(xml, "SorIdentifier", Codes.sor(successor));
      xml.writeEndElement();
    }
    xml.writeEndElement();
  }

  private static void text(XMLStreamWriter xml, String element, String value)
      throws XMLStreamException {
    xml.writeStartElement(element);
    xml.writeCharacters(value);
    xml.writeEndElement();
  }

  private static DataSource h2(Path dir) {
    JdbcDataSource h2 = new JdbcDataSource();
    h2.setURL(
        "jdbc:h2:file:"
            + dir.resolve("db")
            + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH");
    h2.setUser("sa");
    return h2;
  }

  private static void resetPeaks() {
    ManagementFactory.getMemoryPoolMXBeans().forEach(MemoryPoolMXBean::resetPeakUsage);
  }

  private static long peakHeap() {
    return ManagementFactory.getMemoryPoolMXBeans().stream()
        .filter(p -> p.getType() == MemoryType.HEAP)
        .mapToLong(p -> p.getPeakUsage().getUsed())
        .sum();
  }

  private static long usedHeap() {
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }
}
