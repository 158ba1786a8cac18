package io.hostmesh.ssh;

import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;

/** Device paths of the SSH units (spec/units.md §2; device root layout in architecture.md). */
final class SshPaths {
  /** A state bind on the device ({@code MNT/resin-mounts.inc}). */
  static final String HOST_KEY_DIR = "/etc/ssh/hostkeys";
  /**
   * Host key types sshdgenkeys creates. The original also lists a DSA key; OpenSSH 9 no longer
   * generates DSA keys by default and sshd skips a missing one, so it is not created here.
   */
  static final List<String> HOST_KEY_TYPES = List.of("rsa", "ecdsa", "ed25519");
  static final String PRODUCTION_CONFIG = "/etc/ssh/sshd_config_readonly";
  static final String DEVELOPMENT_CONFIG = "/etc/ssh/sshd_config_development";
  static final String SSH_DIR = "/home/root/.ssh";
  static final String AUTHORIZED_KEYS = SSH_DIR + "/authorized_keys";
  static final String AUTHORIZED_KEYS_REMOTE = SSH_DIR + "/authorized_keys_remote";
  static final String AUTHORIZED_KEYS_LOCAL = SSH_DIR + "/authorized_keys_local";
  /** sshd.socket {@code ExecStartPre=/bin/mkdir -p /var/run/sshd}. */
  static final String PRIVSEP_DIR = "/var/run/sshd";
  /** Where a Debian-built sshd looks for its privilege separation folder (compiled in). */
  static final Path HOST_PRIVSEP_DIR = Path.of("/run/sshd");
  static final String AVAHI_SERVICE = "/etc/avahi/services/ssh.service";
  /** sim: the shadow file bound over {@code /etc/shadow} inside sshd's own mount namespace. */
  static final String SIM_SHADOW = "/var/lib/hostmesh/ssh/shadow";

  // sshd_config takes a path as one unquoted word, and expands %-tokens in AuthorizedKeysFile
  private static final Pattern CONFIG_SAFE = Pattern.compile("/[A-Za-z0-9/._@+-]*");

  private SshPaths() {}

  static String hostKey(String type) {
    return HOST_KEY_DIR + "/ssh_host_" + type + "_key";
  }

  /**
   * The host path as sshd_config may carry it.
   *
   * @throws IllegalArgumentException when it holds a space, quote, {@code %} or another
   *     character sshd would split or expand
   */
  static String configSafe(Path hostPath) {
    String s = hostPath.toAbsolutePath().toString();
    if (!CONFIG_SAFE.matcher(s).matches()) {
      throw new IllegalArgumentException("path " + s
          + " cannot be written into sshd_config: only letters, digits and / . _ @ + - are allowed");
    }
    return s;
  }
}
