package dk.sektorbro.gateway.mapping;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dk.sektorbro.gateway.support.TestFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Mapping files are checked when loaded: a broken mapping stops the start with a clear reason. */
class MappingRegistryTest {

  @TempDir Path dir;

  @Test
  void shippedMappings_load() {
    assertThat(MappingRegistry.load(TestFiles.MAPPINGS))
        .containsKeys("nordby-socialpsykiatri", "nordby-hjemmepleje");
  }

  @Test
  void aThirdSource_needsOnlyAMappingFile() throws IOException {
    write(
        "odder-bosted.yaml",
        """
        source: odder-bosted
        format: json
        recordId: { path: id }
        fields:
          citizen.cpr: { path: cpr, transform: [digits], required: true }
          citizen.familyName: { path: efternavn }
          sender.sor: { value: "990011000016008" }
          sender.gln: { value: "5790009900016" }
          author.familyName: { path: forfatter }
          author.phone: { value: "+45 11 22 33 44" }
          recipient.gln: { path: til }
          recipient.sor: { path: tilSor }
          category: { value: other }
          topic: { path: emne }
          text: { path: tekst }
        """);
    MappingDefinition mapping = MappingRegistry.load(dir).get("odder-bosted");
    String record =
        """
        {"id": "1", "cpr": "050345-5012", "efternavn": "Testesen", "forfatter": "Holm",
         "til": "5790009900030", "tilSor": "990031000016002", "emne": "Besøg", "tekst": "Hej"}
        """;
    MappingOutcome outcome =
        new RecordMapper(new CanonicalRecordRules()).map(mapping, record.getBytes());
    assertThat(outcome).isInstanceOf(MappingOutcome.Mapped.class);
  }

  @Test
  void unknownField_transformAndValueMap_areAllReported() throws IOException {
    write(
        "broken.yaml",
        """
        source: broken
        format: json
        recordId: { path: id }
        fields:
          citizen.shoeSize: { path: x }
          citizen.cpr: { path: cpr, transform: [rot13] }
          category: { path: kat, map: nowhere }
          text: { path: a, value: b }
        """);
    assertThatThrownBy(() -> MappingRegistry.load(dir))
        .isInstanceOf(MappingRegistry.InvalidMappingException.class)
        .hasMessageContaining("broken.yaml")
        .hasMessageContaining("fields.citizen.shoeSize: unknown canonical field")
        .hasMessageContaining("unknown transform 'rot13'")
        .hasMessageContaining("value map 'nowhere' is not defined")
        .hasMessageContaining("fields.text: exactly one of 'path' or 'value'");
  }

  @Test
  void sourceMustMatchTheFileName_andXpathMustCompile() throws IOException {
    write(
        "a.yaml",
        """
        source: b
        format: xml
        recordId: { path: "/besked/@id[" }
        """);
    assertThatThrownBy(() -> MappingRegistry.load(dir))
        .hasMessageContaining("must equal the file name 'a'")
        .hasMessageContaining("invalid xml path");
  }

  @Test
  void senders_mustBeValidSorCodes_andAreReadAsGiven() throws IOException {
    write(
        "d.yaml",
        """
        source: d
        format: json
        recordId: { path: id }
        senders: ["990071000016000", "990071000016001", "5790009900016"]
        """);
    assertThatThrownBy(() -> MappingRegistry.load(dir))
        .hasMessageContaining("senders: '990071000016001' is not a valid SOR code")
        .hasMessageContaining("senders: '5790009900016' is not a valid SOR code")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("'990071000016000'"));
    assertThat(MappingRegistry.load(TestFiles.MAPPINGS).get("region-nord-psykiatri").senders())
        .containsExactly("990111000016009");
  }

  @Test
  void unknownKeyInTheFile_isRefused() throws IOException {
    write(
        "c.yaml",
        """
        source: c
        format: json
        recordId: { path: id }
        colour: blue
        """);
    assertThatThrownBy(() -> MappingRegistry.load(dir))
        .hasMessageContaining("c.yaml cannot be read");
  }

  private void write(String name, String content) throws IOException {
    Files.writeString(dir.resolve(name), content);
  }
}
