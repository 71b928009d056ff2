package dk.sektorbro.gateway.support;

import java.util.Map;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.security.crypto.password.DelegatingPasswordEncoder;
import org.springframework.security.crypto.password.PasswordEncoder;

/**
 * Tests check passwords with BCrypt at cost 4 instead of the production cost 10: the same encoder
 * and format ({@code {bcrypt}...}), about a millisecond per check instead of ~100 ms, which adds up
 * over four users per application and every wrong-password and first-login check.
 */
@TestConfiguration(proxyBeanMethods = false)
public class CheapPasswords {

  @Bean
  @Primary
  PasswordEncoder cheapPasswordEncoder() {
    return new DelegatingPasswordEncoder("bcrypt", Map.of("bcrypt", new BCryptPasswordEncoder(4)));
  }
}
