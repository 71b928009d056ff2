package dk.sektorbro.gateway.validation;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The key under which a JVM shares its loaded chains between application contexts: the same package
 * set in another folder shares them, a changed package or profile file does not.
 */
class PackageSetHashTest {

  @TempDir Path temp;

  @Test
  void samePackagesElsewhere_shareTheKey_aChangedFileDoesNot() throws Exception {
    String file = ChainDefinition.ALL.get(0).packageFiles().get(0);
    Path first = Files.createDirectories(temp.resolve("a"));
    Path second = Files.createDirectories(temp.resolve("b"));
    Path profiles = Files.createDirectories(temp.resolve("profiles"));
    FileTime stamp = FileTime.fromMillis(1_700_000_000_000L);
    Files.setLastModifiedTime(Files.writeString(first.resolve(file), "package"), stamp);
    Files.setLastModifiedTime(Files.writeString(second.resolve(file), "package"), stamp);

    String a = ConformanceChains.packageSetHash(new ConformanceProperties(first, profiles));
    assertThat(ConformanceChains.packageSetHash(new ConformanceProperties(second, profiles)))
        .isEqualTo(a);

    Files.writeString(second.resolve(file), "another package");
    assertThat(ConformanceChains.packageSetHash(new ConformanceProperties(second, profiles)))
        .isNotEqualTo(a);

    Files.writeString(profiles.resolve("own-profile.json"), "{}");
    assertThat(ConformanceChains.packageSetHash(new ConformanceProperties(first, profiles)))
        .isNotEqualTo(a);
  }
}
