package dk.sektorbro.gateway.security;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.springframework.core.env.PropertyResolver;

/**
 * Passwords an operator chose in the environment ({@code GATEWAY_<ROLE>_PASSWORD}, {@code
 * GATEWAY_INTAKE_<SOURCE>_PASSWORD}) must be hard to guess: at least {@value #MINIMUM} characters
 * (OWASP ASVS 4.0 V2.1.1), not one character repeated, not the user's name. A weaker one stops the
 * start with one line naming the variable, never the password; the generated ones (24 random
 * characters, {@link GatewayCredentials}) need no check. The login guard slows guessing down, but
 * the API answers every source address: a short password is found by many guessers in time.
 */
public final class ChosenPasswords {

  /** The fewest characters a chosen password may have. */
  public static final int MINIMUM = 12;

  private ChosenPasswords() {}

  /**
   * One line per weak password among the built-in users' and the given sources' users'; empty when
   * every chosen password is strong enough or none is chosen.
   */
  public static List<String> problems(PropertyResolver environment, Collection<String> sources) {
    List<String> problems = new ArrayList<>();
    for (Role role : Role.values()) {
      check(problems, environment, role.passwordVariable(), role.userName());
    }
    for (String source : sources) {
      check(
          problems,
          environment,
          SourceUsers.passwordVariable(source),
          SourceUsers.userName(source));
    }
    return problems;
  }

  private static void check(
      List<String> problems, PropertyResolver environment, String variable, String user) {
    String password = environment.getProperty(variable);
    if (password == null || password.isBlank()) {
      return;
    }
    String why = weakness(password, user);
    if (why != null) {
      problems.add(
          variable
              + ": "
              + why
              + "; choose a stronger one, or unset it to have one generated into"
              + " <data-dir>/credentials (docs/operations.md)");
    }
  }

  // Why the password is too weak, or null. Says nothing of the password beyond its length.
  static String weakness(String password, String user) {
    int length = password.codePointCount(0, password.length());
    if (length < MINIMUM) {
      return "too short (" + length + " characters, at least " + MINIMUM + ")";
    }
    if (password.codePoints().distinct().count() == 1) {
      return "one character repeated";
    }
    if (password.equalsIgnoreCase(user)) {
      return "the user's name";
    }
    return null;
  }
}
