package dk.sektorbro.gateway.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dk.sektorbro.gateway.support.RouteTestProperties;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.mock.env.MockEnvironment;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.core.userdetails.UsernameNotFoundException;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;

class GatewayUsersTest {

  @TempDir Path data;

  private final PasswordEncoder bcrypt = PasswordEncoderFactories.createDelegatingPasswordEncoder();
  private final AtomicInteger hashes = new AtomicInteger();
  private final PasswordEncoder counting =
      new PasswordEncoder() {
        @Override
        public String encode(CharSequence raw) {
          hashes.incrementAndGet();
          return bcrypt.encode(raw);
        }

        @Override
        public boolean matches(CharSequence raw, String encoded) {
          return bcrypt.matches(raw, encoded);
        }
      };

  @Test
  void eachPasswordIsHashedAtItsUsersFirstLookup_once_andEveryLookupGetsItsOwnCopy()
      throws Exception {
    MockEnvironment environment = new MockEnvironment();
    for (Role role : Role.values()) {
      environment.setProperty(role.passwordVariable(), role.userName() + "-secret");
    }
    GatewayUsers users =
        new GatewayUsers(
            new GatewayCredentials(
                environment,
                RouteTestProperties.gateway(
                    data,
                    RouteTestProperties.repositoryMappings(),
                    Duration.ofSeconds(1),
                    Duration.ofSeconds(1)),
                List.of()),
            counting);
    assertThat(hashes).as("nothing hashed before a login").hasValue(0);

    UserDetails admin = users.loadUserByUsername("admin");
    assertThat(bcrypt.matches("admin-secret", admin.getPassword())).isTrue();
    assertThat(admin.getAuthorities()).extracting(Object::toString).containsExactly("ROLE_ADMIN");
    // Authentication erases the password of the principal it returns: the next login still has it.
    ((User) admin).eraseCredentials();
    assertThat(bcrypt.matches("admin-secret", users.loadUserByUsername("admin").getPassword()))
        .isTrue();
    assertThat(hashes).as("hashed once").hasValue(1);

    assertThat(
            bcrypt.matches("operator-secret", users.loadUserByUsername("operator").getPassword()))
        .isTrue();
    assertThat(bcrypt.matches("admin-secret", users.loadUserByUsername("operator").getPassword()))
        .isFalse();
    assertThat(hashes).hasValue(2);
    assertThatThrownBy(() -> users.loadUserByUsername("root"))
        .isInstanceOf(UsernameNotFoundException.class);
  }

  @Test
  void eachSourceHasItsOwnIntakeUser_withAGeneratedOrGivenPassword_forItsSourceOnly()
      throws Exception {
    MockEnvironment environment = new MockEnvironment();
    environment.setProperty("GATEWAY_INTAKE_REGION_NORD_PSYKIATRI_PASSWORD", "hospital-secret");
    GatewayCredentials credentials =
        new GatewayCredentials(
            environment,
            RouteTestProperties.gateway(
                data,
                RouteTestProperties.repositoryMappings(),
                Duration.ofSeconds(1),
                Duration.ofSeconds(1)),
            List.of("region-nord-psykiatri", "nordby-hjemmepleje"));
    Properties stored = new Properties();
    try (var reader = java.nio.file.Files.newBufferedReader(data.resolve("credentials"))) {
      stored.load(reader);
    }
    assertThat(stored.getProperty("intake-nordby-hjemmepleje")).hasSizeGreaterThan(20);
    assertThat(stored.getProperty("intake-region-nord-psykiatri"))
        .as("a password from the environment is not written")
        .isNull();
    GatewayUsers users = new GatewayUsers(credentials, counting);
    assertThat(users.names())
        .contains("intake", "admin", "intake-region-nord-psykiatri", "intake-nordby-hjemmepleje");

    UserDetails hospital = users.loadUserByUsername("intake-region-nord-psykiatri");
    assertThat(bcrypt.matches("hospital-secret", hospital.getPassword())).isTrue();
    assertThat(hospital.getAuthorities())
        .extracting(Object::toString)
        .containsExactlyInAnyOrder("ROLE_SOURCE_INTAKE", "INTAKE_SOURCE:region-nord-psykiatri");
    UserDetails homeCare = users.loadUserByUsername("intake-nordby-hjemmepleje");
    assertThat(
            bcrypt.matches(stored.getProperty("intake-nordby-hjemmepleje"), homeCare.getPassword()))
        .isTrue();
    assertThatThrownBy(() -> users.loadUserByUsername("intake-no-such-source"))
        .isInstanceOf(UsernameNotFoundException.class);
  }
}
