package dk.sektorbro.gateway.addressing;

import java.util.Set;

/**
 * Which fixes apply by themselves and which wait for an operator. R1/R2 only reformat or move a
 * value to its right field; R4 (legacy id), R5 (EAN from SOR), R6 (SOR from EAN) and R8 (successor)
 * change the address and are listed explicitly. Chains longer than {@code maxSuccessorChain} always
 * hold.
 */
public record AddressingPolicy(Set<String> autoApply, int maxSuccessorChain) {

  /**
   * Safe defaults: deterministic completions and a single-step successor apply; legacy ids hold.
   */
  public static final AddressingPolicy DEFAULTS =
      new AddressingPolicy(Set.of("R1", "R2", "R5", "R6", "R8"), 1);

  public AddressingPolicy {
    autoApply = autoApply == null ? DEFAULTS.autoApply() : Set.copyOf(autoApply);
    maxSuccessorChain = Math.max(1, maxSuccessorChain);
  }

  public boolean applies(String rule) {
    return autoApply.contains(rule);
  }
}
