package dk.sektorbro.gateway.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dk.sektorbro.gateway.mapping.MappingDefinition;
import dk.sektorbro.gateway.mapping.MappingRegistry;
import dk.sektorbro.gateway.support.RouteTestProperties;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.authority.AuthorityUtils;

/** Who may submit to which of the repository's sources, and when the start warns. */
class IntakePermissionsTest {

  private static final Collection<MappingDefinition> MAPPINGS =
      MappingRegistry.load(RouteTestProperties.repositoryMappings()).values();
  private static final String HOSPITAL = "region-nord-psykiatri";
  private static final String HOME_CARE = "nordby-hjemmepleje";

  private static IntakePermissions shared(String... sources) {
    return new IntakePermissions(MAPPINGS, new IntakeAccessProperties(List.of(sources)), null);
  }

  private static Authentication user(String name, String... authorities) {
    return UsernamePasswordAuthenticationToken.authenticated(
        name, null, AuthorityUtils.createAuthorityList(authorities));
  }

  private static final Authentication INTAKE = user("intake", "ROLE_INTAKE");
  private static final Authentication ADMIN = user("admin", "ROLE_ADMIN");
  private static final Authentication OPERATOR = user("operator", "ROLE_OPERATOR");
  private static final Authentication HOME_CARE_USER =
      user("intake-" + HOME_CARE, "ROLE_SOURCE_INTAKE", "INTAKE_SOURCE:" + HOME_CARE);

  @Test
  void aSourceUser_mayUseItsSourceOnly_adminAny_othersNone() {
    IntakePermissions permissions = shared("*");
    assertThat(permissions.permits(HOME_CARE_USER, HOME_CARE)).isTrue();
    assertThat(permissions.permits(HOME_CARE_USER, HOSPITAL)).isFalse();
    assertThat(permissions.permits(HOME_CARE_USER, "no-such-source")).isFalse();
    assertThat(permissions.permits(ADMIN, HOSPITAL)).isTrue();
    assertThat(permissions.permits(OPERATOR, HOME_CARE)).isFalse();
    assertThat(permissions.permits(null, HOME_CARE)).isFalse();
  }

  @Test
  void theSharedUser_byDefault_everySourceButTheHospitals() {
    IntakePermissions byDefault =
        new IntakePermissions(MAPPINGS, new IntakeAccessProperties(List.of("non-hospital")), null);
    assertThat(byDefault.permits(INTAKE, HOME_CARE)).isTrue();
    assertThat(byDefault.permits(INTAKE, "nordby-planer")).isTrue();
    assertThat(byDefault.permits(INTAKE, HOSPITAL)).isFalse();
    assertThat(byDefault.permits(INTAKE, "region-nord-psykiatri-planer")).isFalse();
    assertThat(byDefault.permits(INTAKE, "no-such-source")).as("answered 404 as before").isTrue();
    assertThat(byDefault.mixedSendersWarning()).isNull();
    assertThatThrownBy(() -> shared("non-hospital", HOSPITAL))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("'non-hospital'");
  }

  @Test
  void theSharedUser_everySource_namedOnes_orNone() {
    assertThat(shared("*").permits(INTAKE, HOSPITAL)).isTrue();
    assertThat(shared("*").permits(INTAKE, "no-such-source")).as("answered 404 as before").isTrue();

    IntakePermissions municipal = shared("nordby-socialpsykiatri", HOME_CARE);
    assertThat(municipal.permits(INTAKE, HOME_CARE)).isTrue();
    assertThat(municipal.permits(INTAKE, HOSPITAL)).isFalse();
    assertThat(municipal.permits(INTAKE, "no-such-source")).isFalse();

    assertThat(shared("none").permits(INTAKE, HOME_CARE)).isFalse();
    assertThat(shared().permits(INTAKE, HOME_CARE)).as("empty: none").isFalse();
    assertThat(shared("none").permits(HOME_CARE_USER, HOME_CARE)).isTrue();
  }

  /**
   * The setting as an operator writes it (one comma-separated value, spaces after the commas),
   * bound as the application binds it: the named sources only, not the other municipal one.
   */
  @Test
  void theSharedUser_limitedToNamedSources_asTheSettingIsWritten() {
    IntakeAccessProperties named =
        bind(
            Map.of(
                "gateway.security.intake.shared-user-sources",
                "nordby-socialpsykiatri, " + HOME_CARE));
    assertThat(named.sharedUserSources()).containsExactly("nordby-socialpsykiatri", HOME_CARE);
    IntakePermissions municipal = new IntakePermissions(MAPPINGS, named, null);
    assertThat(municipal.permits(INTAKE, "nordby-socialpsykiatri")).isTrue();
    assertThat(municipal.permits(INTAKE, HOME_CARE)).isTrue();
    assertThat(municipal.permits(INTAKE, "nordby-planer")).as("not named").isFalse();
    assertThat(municipal.permits(INTAKE, HOSPITAL)).isFalse();
    assertThat(municipal.permits(ADMIN, HOSPITAL)).isTrue();

    assertThat(bind(Map.of()).sharedUserSources()).as("unset").containsExactly("non-hospital");
  }

  private static IntakeAccessProperties bind(Map<String, String> settings) {
    return new Binder(new MapConfigurationPropertySource(settings))
        .bindOrCreate("gateway.security.intake", IntakeAccessProperties.class);
  }

  @Test
  void aSharedUserSpanningHospitalAndMunicipalSources_isWarnedAbout() {
    assertThat(shared("*").mixedSendersWarning())
        .isEqualTo(
            "hospital: region-nord-psykiatri, region-nord-psykiatri-planer; municipal:"
                + " nordby-hjemmepleje, nordby-planer, nordby-socialpsykiatri");
    assertThat(shared(HOSPITAL, HOME_CARE).mixedSendersWarning())
        .isEqualTo("hospital: region-nord-psykiatri; municipal: nordby-hjemmepleje");
    assertThat(shared(HOME_CARE, "nordby-socialpsykiatri").mixedSendersWarning()).isNull();
    assertThat(shared(HOSPITAL).mixedSendersWarning()).isNull();
    assertThat(shared("none").mixedSendersWarning()).isNull();
  }

  @Test
  void aSourceTheSettingNamesWithoutAMapping_stopsTheStart() {
    assertThatThrownBy(() -> shared(HOME_CARE, "nordby-hjemmeplege"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("gateway.security.intake.shared-user-sources")
        .hasMessageContaining("'nordby-hjemmeplege'");
    assertThatThrownBy(() -> shared("*", HOME_CARE))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("'*'");
  }
}
