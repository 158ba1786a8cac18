package io.hostmesh.ssh;

import io.hostmesh.platform.BlockingHostFiles;
import java.io.IOException;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import java.util.Set;

/**
 * {@code ssh_keys_merger} (spec/units.md §2): {@code authorized_keys} is
 * {@code authorized_keys_remote} then {@code authorized_keys_local}, each present one preceded by
 * {@code # From <file>}; the output starts with an empty line. The file is replaced atomically
 * (mode 600) only when its content changes.
 *
 * <p>Blocking (file IO); call it on a worker.
 */
final class AuthorizedKeysMerger {
  static final Set<PosixFilePermission> MODE_600 = PosixFilePermissions.fromString("rw-------");

  private AuthorizedKeysMerger() {}

  /** The merged text, exactly as the script prints it. */
  static String merged(Optional<String> remote, Optional<String> local) {
    // all_keys="$(printf '%s\n# From %s\n%s' "$all_keys" "$file" "$(cat $file)")"; then printf '%s\n'
    StringBuilder all = new StringBuilder();
    remote.ifPresent(text -> append(all, SshPaths.AUTHORIZED_KEYS_REMOTE, text));
    local.ifPresent(text -> append(all, SshPaths.AUTHORIZED_KEYS_LOCAL, text));
    return all.append('\n').toString();
  }

  /** Rewrites {@code authorized_keys} when it differs; true when it wrote. */
  static boolean merge(BlockingHostFiles files) throws IOException {
    String text = merged(files.read(SshPaths.AUTHORIZED_KEYS_REMOTE), files.read(SshPaths.AUTHORIZED_KEYS_LOCAL));
    return files.writeIfChanged(SshPaths.AUTHORIZED_KEYS, text, MODE_600);
  }

  private static void append(StringBuilder all, String devicePath, String content) {
    // "$(cat file)" drops the trailing newlines
    int end = content.length();
    while (end > 0 && content.charAt(end - 1) == '\n') {
      end--;
    }
    all.append('\n').append("# From ").append(devicePath).append('\n').append(content, 0, end);
  }
}
