package dk.sektorbro.benchmarks;

import dk.sektorbro.gateway.validation.ConformanceChains;
import dk.sektorbro.gateway.validation.Differential;
import dk.sektorbro.gateway.validation.DifferentialCorpus;
import dk.sektorbro.gateway.validation.MedComChains;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The full differential corpus (every variant, see the gateway's test class DifferentialCorpus):
 * fast against reference validator, printing the agreement rate and every disagreement. Run from
 * the gateway folder with {@code -Dmedcom.packages=../../shared/medcom/packages}; takes tens of
 * minutes (HAPI validates every variant). The corpus is generated one seed at a time (all of it as
 * strings needs gigabytes). {@code --threads=N} validates each seed's variants in N interleaved
 * shares, each with its own fast validators that first learned every seed (default 1). {@code
 * --remembered-only}: HAPI validates only the variants the fast path answers from memory (see
 * {@code Differential.run}); the others agree by construction.
 */
public final class CorpusBenchmark {

  public static void main(String[] args) throws Exception {
    int threads = 1;
    boolean rememberedOnly = false;
    for (String arg : args) {
      if (arg.startsWith("--threads=")) {
        threads = Integer.parseInt(arg.substring("--threads=".length()));
      } else if (arg.equals("--remembered-only")) {
        rememberedOnly = true;
      } else {
        throw new IllegalArgumentException("unknown option " + arg);
      }
    }
    ConformanceChains chains = MedComChains.get();
    List<DifferentialCorpus.Variant> seeds = DifferentialCorpus.seeds(chains);
    List<Differential> differentials = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      Differential differential = new Differential(chains);
      differential.learn(seeds);
      differentials.add(differential);
    }
    System.out.printf(
        Locale.ROOT,
        "full differential corpus: %d seeds, %d threads%s%n",
        seeds.size(),
        threads,
        rememberedOnly
            ? "; HAPI validates only the variants the fast path answers from memory (the rest get"
                + " HAPI's own report from it, so they agree by construction)"
            : "");
    boolean onlyRemembered = rememberedOnly;
    long start = System.nanoTime();
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    int[] totals = new int[4];
    List<String> disagreements = new ArrayList<>();
    int shares = threads;
    DifferentialCorpus.eachSeed(
        chains,
        (seed, variants) -> {
          List<Future<Differential.Outcome>> parts = new ArrayList<>();
          for (int t = 0; t < shares; t++) {
            List<DifferentialCorpus.Variant> share = new ArrayList<>();
            for (int i = t; i < variants.size(); i += shares) {
              share.add(variants.get(i));
            }
            Differential differential = differentials.get(t);
            parts.add(pool.submit(() -> differential.run(share, onlyRemembered)));
          }
          for (Future<Differential.Outcome> part : parts) {
            Differential.Outcome o;
            try {
              o = part.get();
            } catch (Exception e) {
              throw new IllegalStateException(e);
            }
            totals[0] += o.variants();
            totals[1] += o.agreed();
            totals[2] += o.remembered();
            totals[3] += o.validByReference();
            disagreements.addAll(o.disagreements());
            o.disagreements().forEach(d -> System.out.println("DISAGREEMENT " + d));
          }
          System.out.printf(
              Locale.ROOT,
              "  %-70s %5d variants; so far %d, %d disagreements, %.0f s%n",
              seed,
              variants.size(),
              totals[0],
              disagreements.size(),
              (System.nanoTime() - start) / 1e9);
        });
    pool.shutdown();
    Differential.Outcome outcome =
        new Differential.Outcome(totals[0], totals[1], totals[2], totals[3], disagreements);
    System.out.printf(
        Locale.ROOT,
        "full differential corpus: %s, %.0f s%n",
        outcome,
        (System.nanoTime() - start) / 1e9);
    System.exit(outcome.disagreements().isEmpty() ? 0 : 1);
  }

  private CorpusBenchmark() {}
}
