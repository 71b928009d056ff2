package dk.sektorbro.gateway.architecture;

import static com.tngtech.archunit.base.DescribedPredicate.describe;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideOutsideOfPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;
import java.util.Arrays;
import java.util.Set;
import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The package graph as the README's "How it works" draws it, checked on every build.
 *
 * <p>The foundation packages (configuration and error handling, the canonical record, the journal,
 * the MedCom model, mapping, validation) depend on nothing above them; the contract package ({@code
 * gate}) only on them; a capability may use any of them. No package reaches itself through others,
 * capabilities included: where a lower package needs a higher one it owns an interface the higher
 * one implements. Camel types appear only in route builders and the few wiring classes named below,
 * so translation and policy stay plain Java.
 *
 * <p>Plain JUnit tests over one import of the main classes (not ArchUnit's own test engine, which
 * runs after JUnit's and alone), so the fast tier runs this beside its other classes.
 */
class ArchitectureTest {

  private static final String ROOT = "dk.sektorbro.gateway";

  private static JavaClasses gateway;

  @BeforeAll
  static void importMainClasses() {
    gateway =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages(ROOT);
  }

  @Test
  void foundationDependsOnlyOnFoundation() {
    foundationDependsOnlyOnFoundation.check(gateway);
  }

  @Test
  void foundationIsFreeOfCycles() {
    foundationIsFreeOfCycles.check(gateway);
  }

  @Test
  void contractsDependOnlyOnFoundation() {
    contractsDependOnlyOnFoundation.check(gateway);
  }

  @Test
  void packagesAreFreeOfCycles() {
    packagesAreFreeOfCycles.check(gateway);
  }

  @Test
  void everyPackageIsFreeOfCycles() {
    everyPackageIsFreeOfCycles.check(gateway);
  }

  @Test
  void camelOnlyInRoutesAndWiring() {
    camelOnlyInRoutesAndWiring.check(gateway);
  }

  /** Bottom of the graph; a capability package is anything else under {@link #ROOT}. */
  static final Set<String> FOUNDATION =
      Set.of(
          "platform",
          "record",
          "journal",
          "medcom",
          "mapping",
          "validation",
          "threads",
          "database");

  /**
   * Camel wiring that is not a route builder: the admin's route switch, the stage dispatcher that
   * sends to the stage queues, the intake's file filter, the error handler's failure bean and the
   * cluster's inbox leadership, which starts and stops the folder routes on the leader.
   */
  private static final Set<String> CAMEL_WIRING =
      Set.of(
          ROOT + ".admin.RouteControl",
          ROOT + ".cluster.InboxLeadership",
          ROOT + ".pipeline.PipelineDispatcher",
          ROOT + ".platform.FileCooldown",
          ROOT + ".platform.FailureRecorder");

  static final ArchRule foundationDependsOnlyOnFoundation =
      classes()
          .that(inFoundation())
          .should()
          .onlyDependOnClassesThat(resideOutsideOfPackage(ROOT + "..").or(inFoundation()))
          .as("foundation packages " + FOUNDATION + " depend on no capability package");

  static final ArchRule foundationIsFreeOfCycles =
      slices()
          .assignedFrom(topLevelPackages(FOUNDATION))
          .should()
          .beFreeOfCycles()
          .as("foundation packages " + FOUNDATION + " are free of cycles");

  /** Gate and guard contracts: what capabilities implement and the pipeline and delivery call. */
  static final Set<String> CONTRACTS = Set.of("gate");

  static final ArchRule contractsDependOnlyOnFoundation =
      classes()
          .that(inTopLevel(CONTRACTS))
          .should()
          .onlyDependOnClassesThat(
              resideOutsideOfPackage(ROOT + "..").or(inFoundation()).or(inTopLevel(CONTRACTS)))
          .as("contract packages " + CONTRACTS + " depend only on foundation packages");

  /**
   * Every top-level package (with its sub-packages), capabilities included, reaches itself through
   * no other.
   */
  static final ArchRule packagesAreFreeOfCycles =
      slices()
          .matching(ROOT + ".(*)..")
          .should()
          .beFreeOfCycles()
          .as("the top-level packages below " + ROOT + " are free of cycles");

  /**
   * Inside a capability too: a sub-package (delivery.transport, delivery.signing, ...) is a part
   * its parent uses, never one that reaches back into the parent.
   */
  static final ArchRule everyPackageIsFreeOfCycles =
      slices()
          .matching(ROOT + ".(**)")
          .should()
          .beFreeOfCycles()
          .as("every package below " + ROOT + ", sub-packages included, is free of cycles");

  static final ArchRule camelOnlyInRoutesAndWiring =
      noClasses()
          .that(resideInAnyPackage(ROOT + "..").and(DescribedPredicate.not(routeOrWiring())))
          .should()
          .dependOnClassesThat()
          .resideInAPackage("org.apache.camel..")
          .as("Camel types only in route builders, *Configuration classes and " + CAMEL_WIRING);

  private static DescribedPredicate<JavaClass> inFoundation() {
    return describe(
        "in a foundation package",
        c -> {
          String top = topLevel(c.getPackageName());
          return top != null && FOUNDATION.contains(top);
        });
  }

  private static DescribedPredicate<JavaClass> inTopLevel(Set<String> packages) {
    return describe(
        "in " + packages,
        c -> {
          String top = topLevel(c.getPackageName());
          return top != null && packages.contains(top);
        });
  }

  private static DescribedPredicate<JavaClass> routeOrWiring() {
    return describe(
        "a route builder or wiring class",
        c -> {
          JavaClass outer = c;
          while (outer.getEnclosingClass().isPresent()) {
            outer = outer.getEnclosingClass().get();
          }
          String name = outer.getSimpleName();
          return name.endsWith("Route")
              || name.endsWith("Routes")
              || name.endsWith("Configuration")
              || outer.isAssignableTo(RouteBuilder.class)
              || CAMEL_WIRING.contains(outer.getName());
        });
  }

  /** Slices by the first package below {@link #ROOT}, only those in {@code packages}. */
  static SliceAssignment topLevelPackages(Set<String> packages) {
    return new SliceAssignment() {
      @Override
      public SliceIdentifier getIdentifierOf(JavaClass javaClass) {
        String top = topLevel(javaClass.getPackageName());
        return top != null && packages.contains(top)
            ? SliceIdentifier.of(top)
            : SliceIdentifier.ignore();
      }

      @Override
      public String getDescription() {
        return "top-level packages " + packages;
      }
    };
  }

  /**
   * "journal" for dk.sektorbro.gateway.journal and its sub-packages; null outside or at the root.
   */
  static String topLevel(String packageName) {
    if (!packageName.startsWith(ROOT + ".")) {
      return null;
    }
    return Arrays.stream(packageName.substring(ROOT.length() + 1).split("\\."))
        .findFirst()
        .orElse(null);
  }
}
