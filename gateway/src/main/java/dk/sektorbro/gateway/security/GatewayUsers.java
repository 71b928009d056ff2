package dk.sektorbro.gateway.security;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.core.userdetails.UsernameNotFoundException;
import org.springframework.security.crypto.password.PasswordEncoder;

/**
 * The gateway's built-in users, one per {@link Role}, and each configured source's own intake user
 * ({@link SourceUsers}), each password hashed at its user's first login rather than at start: the
 * four BCrypt hashes were a tenth of the main thread's CPU on the path to ready (JFR of a start,
 * docs/benchmarks.md, "Issue 14, sixth session: the idle machine"). The plain passwords are in
 * memory either way ({@link GatewayCredentials}).
 */
final class GatewayUsers implements UserDetailsService {

  private final GatewayCredentials credentials;
  private final PasswordEncoder encoder;
  private final Map<String, Role> byName =
      Arrays.stream(Role.values()).collect(Collectors.toMap(Role::userName, Function.identity()));
  private final Map<String, UserDetails> hashed = new ConcurrentHashMap<>();

  private final Map<String, String> sources;
  private final Set<String> names;

  GatewayUsers(GatewayCredentials credentials, PasswordEncoder encoder) {
    this.credentials = credentials;
    this.encoder = encoder;
    this.sources =
        credentials.sources().stream()
            .collect(Collectors.toUnmodifiableMap(SourceUsers::userName, Function.identity()));
    Set<String> all = new HashSet<>(byName.keySet());
    all.addAll(sources.keySet());
    this.names = Set.copyOf(all);
  }

  @Override
  public UserDetails loadUserByUsername(String username) {
    if (!names().contains(username)) {
      throw new UsernameNotFoundException("no such user");
    }
    UserDetails user = hashed.computeIfAbsent(username, this::user);
    // A copy, as InMemoryUserDetailsManager hands out: authentication erases the password of the
    // principal it returns.
    return User.withUserDetails(user).build();
  }

  /** Every user's name: the built-in ones and the sources' own intake users. */
  Set<String> names() {
    return names;
  }

  private UserDetails user(String name) {
    Role role = byName.get(name);
    if (role != null) {
      return User.withUsername(name)
          .password(encoder.encode(credentials.password(role)))
          .roles(role.name())
          .build();
    }
    String source = sources.get(name);
    // A source user reaches the intake endpoint only, and there only its own source.
    return User.withUsername(name)
        .password(encoder.encode(credentials.sourcePassword(source)))
        .authorities("ROLE_" + SourceUsers.ROLE, SourceUsers.sourceAuthority(source))
        .build();
  }
}
