package dk.sektorbro.gateway.validation;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The contract of the fast validator: on a fixed sample of 1,000 variants of the differential
 * corpus (evenly spread over the whole corpus, see {@link DifferentialCorpus}) it agrees with HAPI
 * on every verdict and every issue (severity, location, message id). The full corpus runs in the
 * benchmarks module (CorpusBenchmark) and prints its agreement rate.
 */
// HAPI over a thousand variants (minutes): runs in verify, not in ./mvnw test.
@Tag("integration")
class DifferentialSampleTest {

  static final int SAMPLE = Integer.getInteger("differential.sample", 1_000);

  private static final List<String> UUID_SEEDS =
      List.of("HospitalNotification example 11", "CarePlanDocument example 0");

  /**
   * What the three tests need from the corpus, found once: the corpus is planned (every variant's
   * seed and mutation, see {@link DifferentialCorpus#plan}) and only the sample and the UUID cases
   * are built; building all of it takes longer than validating hundreds of variants and needs
   * gigabytes.
   */
  private record Corpus(
      int size,
      List<DifferentialCorpus.Variant> sample,
      List<DifferentialCorpus.Variant> uuidCases) {

    private static Corpus instance;

    static synchronized Corpus get() {
      if (instance == null) {
        List<DifferentialCorpus.Planned> corpus = DifferentialCorpus.plan(MedComChains.get());
        instance =
            new Corpus(
                corpus.size(),
                DifferentialCorpus.sample(corpus, SAMPLE),
                corpus.stream()
                    .filter(
                        v ->
                            UUID_SEEDS.contains(v.seed())
                                && v.mutation().equals("other UUIDs everywhere"))
                    .map(DifferentialCorpus.Planned::variant)
                    .toList());
      }
      return instance;
    }
  }

  @Test
  void fastAgreesWithReference_onTheSample() {
    ConformanceChains chains = MedComChains.get();
    Differential differential = new Differential(chains);
    differential.learn(DifferentialCorpus.seeds(chains));
    List<DifferentialCorpus.Variant> sample = Corpus.get().sample();

    Differential.Outcome outcome = differential.run(sample);

    System.out.println("differential sample: " + outcome);
    assertThat(sample).hasSize(SAMPLE);
    assertThat(outcome.disagreements()).isEmpty();
    // The sample must exercise the fast path's memory, or agreement would prove nothing about it.
    assertThat(outcome.remembered()).isGreaterThanOrEqualTo(SAMPLE / 10);
    assertThat(outcome.validByReference()).isLessThan(SAMPLE);
  }

  /**
   * The disagreements CI found on 2026-12-06 (before the fingerprint kept the UUID version and
   * variant class): every UUID replaced by a random, non-v4 one in HospitalNotification example 11
   * and CarePlanDocument example 0. HAPI refuses them (MedCom's uuid-v4 invariants on ids and
   * references); fast must too, after having learnt the valid originals.
   */
  @Test
  void fastAgreesWithReference_onTheUuidSubstitutionsCiFound() {
    ConformanceChains chains = MedComChains.get();
    Differential differential = new Differential(chains);
    differential.learn(
        DifferentialCorpus.seeds(chains).stream()
            .filter(v -> UUID_SEEDS.contains(v.seed()))
            .toList());
    List<DifferentialCorpus.Variant> cases = Corpus.get().uuidCases();

    Differential.Outcome outcome = differential.run(cases);

    assertThat(cases).hasSize(2);
    assertThat(outcome.disagreements()).isEmpty();
  }

  @Test
  void fullCorpus_hasAtLeastTenThousandVariants() {
    assertThat(Corpus.get().size()).isGreaterThanOrEqualTo(10_000);
  }
}
