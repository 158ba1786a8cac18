package io.hostmesh.cli;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.regex.Pattern;

/**
 * What a mesh killed with SIGKILL (a crash, the OOM killer) left under its device root: the
 * temporary files of atomic writes ({@code .NAME.tmp-<hex>}, written, then renamed over NAME).
 * Removed at the next start, while the device lock is held, so no other mesh writes there. The
 * folders are the ones the mesh writes into, each looked at alone (never a walk of {@code /} on
 * a device).
 */
final class Leftovers {
  /** The device folders hostmesh writes files into (see the units' paths). */
  static final List<String> FOLDERS = List.of("etc", "etc/NetworkManager/conf.d", "etc/avahi/services", "etc/fake-hwclock",
      "etc/hostmesh", "etc/ssh", "etc/ssh/hostkeys", "etc/udev/rules.d", "home/root/.ssh", "mnt/boot", "run", "run/chrony",
      "run/hostmesh", "usr/share/ca-certificates/balena", "var/lib/chrony", "var/lib/hostmesh", "var/lib/hostmesh/ssh",
      "var/volatile");
  /** {@code hostmesh config set} (another process, no device lock) writes here: only old leftovers go. */
  private static final String SHARED = "mnt/boot";
  /** Far longer than one atomic write of config.json takes. */
  static final Duration SHARED_MIN_AGE = Duration.ofSeconds(10);
  private static final Pattern TEMP = Pattern.compile("\\..+\\.tmp-[0-9a-f]{1,16}");

  private Leftovers() {}

  /** Removes the leftover temporary files under {@code root}; returns how many. Blocking. */
  static int removeTempFiles(Path root) {
    int removed = 0;
    Instant sharedCutoff = Instant.now().minus(SHARED_MIN_AGE);
    for (String folder : FOLDERS) {
      Path dir = root.resolve(folder);
      if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
        continue;
      }
      try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir, p -> TEMP.matcher(p.getFileName().toString()).matches())) {
        for (Path p : entries) {
          BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
          if (!a.isRegularFile() || folder.equals(SHARED) && a.lastModifiedTime().toInstant().isAfter(sharedCutoff)) {
            continue;
          }
          if (Files.deleteIfExists(p)) {
            removed++;
          }
        }
      } catch (IOException e) {
        // a folder we may not read holds nothing of ours
      }
    }
    return removed;
  }
}
