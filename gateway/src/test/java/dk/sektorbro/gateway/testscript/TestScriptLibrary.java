package dk.sektorbro.gateway.testscript;

import ca.uhn.fhir.context.FhirContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.hl7.fhir.r4.model.TestScript;
import org.hl7.fhir.utilities.npm.NpmPackage;

/**
 * MedCom's certification TestScripts and the official packages, read in place from ../shared/medcom
 * (never copied into the repository).
 */
public final class TestScriptLibrary {

  public static final List<String> SCRIPT_PACKAGES =
      List.of(
          "medcom.fhir.dk.carecommunicationtestscripts-5.0.0.tgz",
          "medcom.fhir.dk.acknowledgementtestscripts-2.0.0.tgz");

  private static final Pattern VARIABLE = Pattern.compile("\\$\\{([^}]+)}");

  private final Path medcom;

  /**
   * @param medcom the ../shared/medcom folder (packages/ and testscripts/ inside)
   */
  public TestScriptLibrary(Path medcom) {
    this.medcom = medcom;
  }

  /** Every TestScript of both packages, by id. */
  public List<TestScript> scripts(FhirContext fhir) {
    List<TestScript> scripts = new ArrayList<>();
    for (String name : SCRIPT_PACKAGES) {
      NpmPackage npm = open(medcom.resolve("testscripts").resolve(name));
      try {
        for (String file : npm.list("example")) {
          if (file.startsWith("TestScript-") && file.endsWith(".json")) {
            try (InputStream in = npm.load("example", file)) {
              scripts.add(fhir.newJsonParser().parseResource(TestScript.class, in));
            }
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException(name, e);
      }
    }
    scripts.sort(Comparator.comparing(s -> s.getIdElement().getIdPart()));
    return scripts;
  }

  /**
   * The text of every example of a TestScript package whose file name starts with {@code prefix},
   * by name.
   */
  public List<String> examples(String scriptPackage, String prefix) {
    NpmPackage npm = open(medcom.resolve("testscripts").resolve(scriptPackage));
    List<String> texts = new ArrayList<>();
    try {
      for (String file :
          npm.list("example").stream().filter(f -> f.startsWith(prefix)).sorted().toList()) {
        try (InputStream in = npm.load("example", file)) {
          texts.add(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(scriptPackage, e);
    }
    return texts;
  }

  /**
   * A file inside a package: {@code packageFile} in ../shared/medcom/packages or .../testscripts,
   * {@code file} as "folder/name" (e.g. "example/Bundle-x.json"; "package/..." for the root).
   */
  public String read(String packageFile, String file) {
    Path tgz = medcom.resolve("packages").resolve(packageFile);
    if (!Files.isRegularFile(tgz)) {
      tgz = medcom.resolve("testscripts").resolve(packageFile);
    }
    NpmPackage npm = open(tgz);
    int slash = file.indexOf('/');
    try (InputStream in = npm.load(file.substring(0, slash), file.substring(slash + 1))) {
      if (in == null) {
        throw new IllegalArgumentException("no " + file + " in " + packageFile);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(packageFile + "!" + file, e);
    }
  }

  /** The MedCom-side defects a reviewer needs to know: variables used but not defined. */
  public static List<String> defects(TestScript script) {
    Set<String> defined = new HashSet<>();
    script.getVariable().forEach(v -> defined.add(v.getName()));
    Set<String> undefined = new TreeSet<>();
    script
        .getTest()
        .forEach(
            t ->
                t.getAction()
                    .forEach(
                        a -> {
                          if (a.hasAssert() && a.getAssert().hasExpression()) {
                            Matcher m = VARIABLE.matcher(a.getAssert().getExpression());
                            while (m.find()) {
                              if (!defined.contains(m.group(1))) {
                                undefined.add(m.group(1));
                              }
                            }
                          }
                        }));
    return undefined.stream().map(v -> "uses undefined variable ${" + v + "}").toList();
  }

  private static final Map<Path, NpmPackage> CACHE = new ConcurrentHashMap<>();

  private static NpmPackage open(Path tgz) {
    return CACHE.computeIfAbsent(
        tgz,
        p -> {
          try (InputStream in = Files.newInputStream(p)) {
            return NpmPackage.fromPackage(in);
          } catch (IOException e) {
            throw new UncheckedIOException("package cannot be read: " + p, e);
          }
        });
  }
}
