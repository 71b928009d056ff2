package dk.sektorbro.gateway.intake;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * The file drop's trust boundary: a file in {@code inbox/<source>/} counts as that source's record,
 * so whoever may create files there is that source (its legal bases, its sender unit). The
 * operating system's permissions are the only identity a file has; the gateway checks at start that
 * neither the inbox nor a source's folder is writable by every user of the machine, which would
 * make every local account and service a source. Group write is how a source's system account is
 * given its own folder (docs/operations.md), so it is allowed; on a file system without POSIX
 * permissions (Windows) the folders' ACLs are the operator's to set, and nothing is checked.
 */
public final class InboxTrust {

  private InboxTrust() {}

  /** One line per folder anyone may write to, naming the folder and the fix; empty when none. */
  public static List<String> problems(Path inbox, Collection<String> sources) {
    List<String> problems = new ArrayList<>();
    check(inbox, "every source", problems);
    for (String source : sources) {
      check(inbox.resolve(source), "source " + source, problems);
    }
    return problems;
  }

  private static void check(Path folder, String whom, List<String> problems) {
    PosixFileAttributes attributes;
    try {
      attributes =
          Files.readAttributes(folder, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    } catch (UnsupportedOperationException noPosix) {
      return;
    } catch (IOException missing) {
      // Not there yet: created by the gateway under its own umask when the inbox is first read.
      return;
    }
    if (attributes.permissions().contains(PosixFilePermission.OTHERS_WRITE)) {
      problems.add(
          "inbox folder "
              + folder.toAbsolutePath()
              + " is writable by every user of this machine ("
              + PosixFilePermissions.toString(attributes.permissions())
              + "): any local account could submit records as "
              + whom
              + "; remove that right (chmod o-w) and give each source system's account its own"
              + " folder (docs/operations.md, \"The file drop: who is a source\")");
    }
  }
}
