package dk.sektorbro.gateway.validation;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * Runs variants through the fast and the reference validator of their chain and compares the
 * verdicts: valid or not, and the issue list by severity, location and message id (in order). The
 * fast validators first see the unmutated seeds, as a running gateway sees its normal traffic.
 */
public final class Differential {

  /** What one run found. */
  public record Outcome(
      int variants, int agreed, int remembered, int validByReference, List<String> disagreements) {

    public double agreementRate() {
      return variants == 0 ? 1 : (double) agreed / variants;
    }

    @Override
    public String toString() {
      return String.format(
          "%d variants, %d agree (%.4f %%), %d answered from the fast path's memory,"
              + " %d valid per HAPI, %d disagreements",
          variants,
          agreed,
          100 * agreementRate(),
          remembered,
          validByReference,
          disagreements.size());
    }
  }

  /**
   * Threads validating with HAPI (the expensive, stateless half; the gateway itself validates on
   * several workers). The fast validators, which learn, still see the variants one by one in corpus
   * order, so the outcome is the same for any number of threads.
   */
  static final int REFERENCE_THREADS =
      Integer.getInteger(
          "differential.threads", Math.min(2, Runtime.getRuntime().availableProcessors()));

  private final ConformanceChains chains;
  private final Map<String, FastChain> fast = new LinkedHashMap<>();

  public Differential(ConformanceChains chains) {
    this.chains = chains;
    for (Map.Entry<String, ConformanceChain> chain : chains.medcomChains().entrySet()) {
      fast.put(chain.getKey(), new FastChain(chain.getValue(), 100_000));
    }
  }

  /**
   * Lets the fast validators learn the seeds (the unmutated messages), in order. HAPI's verdicts on
   * them are taken beforehand on {@link #REFERENCE_THREADS} threads: the same verdicts the fast
   * validators would ask their chain for one by one.
   */
  public void learn(List<DifferentialCorpus.Variant> seeds) {
    List<ValidationReport> references =
        inParallel(seeds, v -> chains.forType(v.messageType()).validate(v.message()));
    for (int i = 0; i < seeds.size(); i++) {
      ValidationReport reference = references.get(i);
      fast.get(seeds.get(i).messageType()).check(seeds.get(i).message(), m -> reference);
    }
  }

  public Outcome run(List<DifferentialCorpus.Variant> variants) {
    return run(variants, false);
  }

  /**
   * As {@link #run(List)}, but HAPI validates only the variants the fast validators would answer
   * from memory. Every other variant gets HAPI's own report from the fast validator (it calls the
   * reference validator and returns what it says), so it agrees by construction and is counted as
   * agreeing without being validated twice; only the learning from valid non-seed variants is lost
   * (a variant is one mutation of its seed, so two variants rarely share a template that is not the
   * seed's). This is what makes the full corpus affordable on a shared 2-core machine.
   */
  public Outcome run(List<DifferentialCorpus.Variant> variants, boolean rememberedOnly) {
    if (!rememberedOnly) {
      return runAll(variants);
    }
    List<DifferentialCorpus.Variant> remembered =
        variants.stream().filter(v -> fast.get(v.messageType()).knows(v.message())).toList();
    Outcome checked = runAll(remembered);
    int skipped = variants.size() - remembered.size();
    return new Outcome(
        variants.size(),
        checked.agreed() + skipped,
        checked.remembered(),
        checked.validByReference(),
        checked.disagreements());
  }

  private Outcome runAll(List<DifferentialCorpus.Variant> variants) {
    int agreed = 0;
    int remembered = 0;
    int valid = 0;
    List<String> disagreements = new ArrayList<>();
    List<ValidationReport> references = references(variants);
    for (int i = 0; i < variants.size(); i++) {
      DifferentialCorpus.Variant v = variants.get(i);
      ValidationReport reference = references.get(i);
      FastChain.Result fastResult;
      try {
        ValidationReport known = reference;
        fastResult =
            fast.get(v.messageType())
                .check(
                    v.message(),
                    m -> {
                      if (known == null) {
                        throw new IllegalArgumentException("unreadable");
                      }
                      return known;
                    });
      } catch (RuntimeException e) {
        fastResult = null;
      }
      if (reference != null && reference.valid()) {
        valid++;
      }
      if (fastResult != null && fastResult.remembered()) {
        remembered++;
      }
      if (same(reference, fastResult == null ? null : fastResult.report())) {
        agreed++;
      } else {
        disagreements.add(
            v.seed()
                + " / "
                + v.mutation()
                + ": reference "
                + summary(reference)
                + ", fast "
                + summary(fastResult == null ? null : fastResult.report()));
      }
    }
    return new Outcome(variants.size(), agreed, remembered, valid, disagreements);
  }

  /** HAPI's report on each variant, in order; null where its parser cannot read the message. */
  private List<ValidationReport> references(List<DifferentialCorpus.Variant> variants) {
    return inParallel(variants, this::reference);
  }

  /** {@code report} of each variant, in order, on {@link #REFERENCE_THREADS} threads. */
  private static List<ValidationReport> inParallel(
      List<DifferentialCorpus.Variant> variants,
      Function<DifferentialCorpus.Variant, ValidationReport> report) {
    ValidationReport[] reports = new ValidationReport[variants.size()];
    AtomicInteger next = new AtomicInteger();
    Runnable worker =
        () -> {
          for (int i = next.getAndIncrement(); i < reports.length; i = next.getAndIncrement()) {
            reports[i] = report.apply(variants.get(i));
          }
        };
    int threads = Math.max(1, Math.min(REFERENCE_THREADS, reports.length));
    if (threads == 1) {
      worker.run();
      return Arrays.asList(reports);
    }
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<?>> running = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        running.add(pool.submit(worker));
      }
      for (Future<?> f : running) {
        f.get();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("reference validation failed", e.getCause());
    } finally {
      pool.shutdownNow();
    }
    return Arrays.asList(reports);
  }

  private ValidationReport reference(DifferentialCorpus.Variant v) {
    ConformanceChain chain = chains.forType(v.messageType());
    try {
      return chain.validate(v.message());
    } catch (RuntimeException e) {
      // HAPI's FhirValidator throws on a message its parser cannot read; the fast path must too.
      return null;
    }
  }

  static boolean same(ValidationReport a, ValidationReport b) {
    if (a == null || b == null) {
      return a == b;
    }
    return a.valid() == b.valid() && keys(a).equals(keys(b));
  }

  private static List<String> keys(ValidationReport report) {
    return report.issues().stream()
        .map(
            i ->
                i.severity()
                    + "|"
                    + i.location()
                    + "|"
                    + Objects.requireNonNullElse(i.messageId(), i.message()))
        .toList();
  }

  private static String summary(ValidationReport report) {
    if (report == null) {
      return "unreadable";
    }
    return (report.valid() ? "valid" : "invalid") + " " + keys(report);
  }
}
