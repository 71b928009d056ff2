package dk.sektorbro.benchmarks;

import dk.sektorbro.gateway.validation.ConformanceChains;
import dk.sektorbro.gateway.validation.Differential;
import dk.sektorbro.gateway.validation.DifferentialCorpus;
import dk.sektorbro.gateway.validation.MedComChains;
import java.util.List;
import java.util.Locale;

/**
 * The full differential corpus (every variant, see the gateway's test class DifferentialCorpus):
 * fast against reference validator, printing the agreement rate and every disagreement. Run from
 * the gateway folder's parent with {@code -Dmedcom.packages=../shared/medcom/packages}; takes
 * tens of minutes (HAPI validates every variant).
 */
public final class CorpusBenchmark {

  public static void main(String[] args) {
    ConformanceChains chains = MedComChains.get();
    Differential differential = new Differential(chains);
    differential.learn(DifferentialCorpus.seeds(chains));
    List<DifferentialCorpus.Variant> all = DifferentialCorpus.all(chains);
    long start = System.nanoTime();
    Differential.Outcome outcome = differential.run(all);
    System.out.printf(Locale.ROOT, "full differential corpus: %s, %.0f s%n", outcome, (System.nanoTime() - start) / 1e9);
    outcome.disagreements().forEach(d -> System.out.println("DISAGREEMENT " + d));
    if (!outcome.disagreements().isEmpty()) {
      System.exit(1);
    }
  }

  private CorpusBenchmark() {}
}
