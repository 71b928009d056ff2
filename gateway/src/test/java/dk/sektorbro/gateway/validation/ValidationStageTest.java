package dk.sektorbro.gateway.validation;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The FAILED reason is a summary that always fits the journal; the full issues go in the event
 * detail.
 */
class ValidationStageTest {

  @Test
  void abbreviate_keepsShortReasons_andCutsLongOnesTo1000() {
    assertThat(ValidationStage.abbreviate("invalid: 1 errors")).isEqualTo("invalid: 1 errors");
    String cut = ValidationStage.abbreviate("x".repeat(5000));
    assertThat(cut).hasSize(1000).endsWith("…");
  }
}
