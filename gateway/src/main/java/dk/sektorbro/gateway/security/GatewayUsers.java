package dk.sektorbro.gateway.security;

import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.core.userdetails.UsernameNotFoundException;
import org.springframework.security.crypto.password.PasswordEncoder;

/**
 * The gateway's built-in users, one per {@link Role}, each password hashed at its user's first
 * login rather than at start: the four BCrypt hashes were a tenth of the main thread's CPU on the
 * path to ready (JFR of a start, docs/benchmarks.md, "Issue 14, sixth session: the idle machine").
 * The plain passwords are in memory either way ({@link GatewayCredentials}).
 */
final class GatewayUsers implements UserDetailsService {

  private final GatewayCredentials credentials;
  private final PasswordEncoder encoder;
  private final Map<String, Role> byName =
      Arrays.stream(Role.values()).collect(Collectors.toMap(Role::userName, Function.identity()));
  private final Map<Role, UserDetails> hashed = new ConcurrentHashMap<>();

  GatewayUsers(GatewayCredentials credentials, PasswordEncoder encoder) {
    this.credentials = credentials;
    this.encoder = encoder;
  }

  @Override
  public UserDetails loadUserByUsername(String username) {
    Role role = byName.get(username);
    if (role == null) {
      throw new UsernameNotFoundException("no such user");
    }
    UserDetails user = hashed.computeIfAbsent(role, this::user);
    // A copy, as InMemoryUserDetailsManager hands out: authentication erases the password of the
    // principal it returns.
    return User.withUserDetails(user).build();
  }

  private UserDetails user(Role role) {
    return User.withUsername(role.userName())
        .password(encoder.encode(credentials.password(role)))
        .roles(role.name())
        .build();
  }
}
