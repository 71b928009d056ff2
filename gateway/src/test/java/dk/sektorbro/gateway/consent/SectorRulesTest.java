package dk.sektorbro.gateway.consent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/**
 * The registry's sector rules: defaults as in Danish SOR, overridable per installation by typed
 * configuration.
 */
class SectorRulesTest {

  @Test
  void defaults_placeHospitalsPracticesAndMunicipalities() {
    SectorRules rules = SectorRules.defaults();
    assertThat(rules.ofInstitutionType("22232009")).isEqualTo(Sector.HOSPITAL);
    assertThat(rules.ofInstitutionType("394761003")).isEqualTo(Sector.PRACTICE);
    assertThat(rules.ofInstitutionType("264372000")).isNull(); // a pharmacy names no sector of ours
    assertThat(rules.ofOwnerType("Kommune")).isEqualTo(Sector.MUNICIPALITY);
    assertThat(rules.ofOwnerType("region")).isEqualTo(Sector.HOSPITAL);
    assertThat(rules.of(SenderKind.HOME_NURSING)).isEqualTo(Sector.MUNICIPALITY);
    assertThat(rules.of(SenderKind.PRACTISING_SPECIALIST)).isEqualTo(Sector.PRACTICE);
  }

  @Test
  void configuration_bindsFromProperties_addsAndOverrides_keepsTheOtherDefaults() {
    ConsentProperties properties =
        bind(
            Map.of(
                "gateway.consent.sectors.institution-types.39350007", "hospital",
                "gateway.consent.sectors.owner-types.privat", "practice",
                "gateway.consent.sectors.sender-kinds.home-nursing", "hospital"));
    SectorRules rules = properties.sectorRules();
    assertThat(rules.ofInstitutionType("39350007")).isEqualTo(Sector.HOSPITAL);
    assertThat(rules.ofInstitutionType("22232009")).isEqualTo(Sector.HOSPITAL);
    assertThat(rules.ofOwnerType("Privat")).isEqualTo(Sector.PRACTICE);
    assertThat(rules.ofOwnerType("kommune")).isEqualTo(Sector.MUNICIPALITY);
    // A region that runs home nursing: its home-nursing senders are confirmed in the hospital
    // sector.
    assertThat(rules.of(SenderKind.HOME_NURSING)).isEqualTo(Sector.HOSPITAL);
    assertThat(rules.of(SenderKind.HOME_CARE)).isEqualTo(Sector.MUNICIPALITY);
    assertThat(
            bind(Map.of("gateway.consent.hold-expiry", "14d"))
                .sectorRules()
                .of(SenderKind.HOME_NURSING))
        .isEqualTo(Sector.MUNICIPALITY);
  }

  /**
   * No SOR institution type names home nursing by default (a unit is then only in the
   * municipality); an installation names the ones that do, and a home-nursing unit is in the
   * municipality too (a home-nursing source's sender is confirmed there).
   */
  @Test
  void homeNursing_isConfiguredByInstitutionType_andIsWithinTheMunicipality() {
    assertThat(SectorRules.defaults().ofInstitutionType("hjemmesygepleje")).isNull();
    SectorRules rules =
        bind(Map.of("gateway.consent.sectors.institution-types.hjemmesygepleje", "home-nursing"))
            .sectorRules();
    assertThat(rules.ofInstitutionType("hjemmesygepleje")).isEqualTo(Sector.HOME_NURSING);
    assertThat(Sector.HOME_NURSING.code()).isEqualTo("home-nursing");
    assertThat(Sector.HOME_NURSING.within(Sector.MUNICIPALITY)).isTrue();
    assertThat(Sector.MUNICIPALITY.within(Sector.HOME_NURSING)).isFalse();
    assertThat(Sector.HOME_NURSING.within(Sector.HOSPITAL)).isFalse();
  }

  @Test
  void unknownSenderKind_stopsTheStart() {
    ConsentProperties wrong =
        bind(Map.of("gateway.consent.sectors.sender-kinds.caseworker", "municipality"));
    assertThatThrownBy(wrong::sectorRules)
        .hasMessageContaining(
            "gateway.consent.sectors.sender-kinds.caseworker: unknown sender kind");
  }

  private static ConsentProperties bind(Map<String, String> values) {
    return new Binder(new MapConfigurationPropertySource(values))
        .bindOrCreate("gateway.consent", ConsentProperties.class);
  }
}
