package dk.sektorbro.gateway.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.mock.env.MockEnvironment;

/** A weak password chosen in the environment stops the start; the line never shows it. */
class ChosenPasswordsTest {

  @Test
  void weakChosenPasswords_areOneLineEach_namingTheVariableNotThePassword() {
    MockEnvironment environment =
        new MockEnvironment()
            .withProperty("GATEWAY_ADMIN_PASSWORD", "admin")
            .withProperty("GATEWAY_OPERATOR_PASSWORD", "zzzzzzzzzzzzzzzz")
            .withProperty("GATEWAY_AUDITOR_PASSWORD", "correct-horse-battery")
            .withProperty(
                "GATEWAY_INTAKE_NORDBY_HJEMMEPLEJE_PASSWORD", "intake-nordby-hjemmepleje");

    List<String> problems =
        ChosenPasswords.problems(environment, List.of("nordby-hjemmepleje", "other-source"));

    assertThat(problems)
        .containsExactlyInAnyOrder(
            "GATEWAY_ADMIN_PASSWORD: too short (5 characters, at least 12); choose a stronger one,"
                + " or unset it to have one generated into <data-dir>/credentials"
                + " (docs/operations.md)",
            "GATEWAY_OPERATOR_PASSWORD: one character repeated; choose a stronger one, or unset it"
                + " to have one generated into <data-dir>/credentials (docs/operations.md)",
            "GATEWAY_INTAKE_NORDBY_HJEMMEPLEJE_PASSWORD: the user's name; choose a stronger one, or"
                + " unset it to have one generated into <data-dir>/credentials"
                + " (docs/operations.md)");
  }

  /** The documentation's placeholder copied as is, and characters counted, not UTF-16 units. */
  @Test
  void theDocsPlaceholder_isRefused_andLengthCountsCharacters() {
    assertThat(ChosenPasswords.weakness("...", "admin")).startsWith("too short (3 characters");
    assertThat(ChosenPasswords.weakness("\uD83D\uDD12".repeat(6), "admin"))
        .startsWith("too short (6 characters");
    assertThat(ChosenPasswords.weakness("twelve-chars", "admin")).isNull();
  }

  /** Unset or blank: a password is generated, nothing to refuse (the newcomer's one command). */
  @Test
  void noChosenPassword_noProblem() {
    MockEnvironment environment = new MockEnvironment().withProperty("GATEWAY_ADMIN_PASSWORD", " ");
    assertThat(ChosenPasswords.problems(environment, List.of("nordby-hjemmepleje"))).isEmpty();
  }
}
