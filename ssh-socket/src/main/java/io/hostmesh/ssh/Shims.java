package io.hostmesh.ssh;

import io.hostmesh.platform.BlockingHostFiles;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Set;

/**
 * The device's commands of an SSH session into a sim device: small {@code sh} scripts in the
 * device root, bound on {@code /usr/local/sbin} (first on the PATH sshd gives root) by
 * {@link DeviceView}. Each is a client of the device's API ({@code POST /v1/shell/NAME}, served
 * by the API's shell routes), so what they print is made in Java, where it is tested; none of
 * them touches the host's services or clock.
 */
final class Shims {
  /** Device path of the folder. */
  static final String DIR = "/var/lib/hostmesh/ssh/bin";
  /** The generic client: each of {@link #THROUGH_API} is a copy of it, named after the command. */
  static final String CLIENT = "hostmesh-shell";
  /** Commands answered entirely by the device's API. */
  static final List<String> THROUGH_API = List.of("systemctl", "journalctl", "timedatectl", "hwclock", "udevadm",
      "iptables", "NetworkManager", "reboot", "poweroff");
  /** Commands with a script of their own: {@code date} (formatted by the real date), {@code chronyc} (the real one). */
  static final List<String> OWN_SCRIPTS = List.of("date", "chronyc");
  private static final Set<PosixFilePermission> EXECUTABLE = PosixFilePermissions.fromString("rwxr-xr-x");

  private Shims() {}

  /**
   * Writes (or refreshes) every script. {@code root} is the device root's host path, already
   * checked to hold no character a shell would read ({@link SshPaths#configSafe}): the chronyc
   * script names the device's socket by it. Blocking: call on a worker.
   */
  static void write(BlockingHostFiles files, String root) throws IOException {
    files.mkdirs(DIR, EXECUTABLE);
    String client = text(CLIENT);
    files.writeIfChanged(DIR + "/" + CLIENT, client, EXECUTABLE);
    for (String name : THROUGH_API) {
      files.writeIfChanged(DIR + "/" + name, client, EXECUTABLE);
    }
    for (String name : OWN_SCRIPTS) {
      files.writeIfChanged(DIR + "/" + name, text(name).replace("@ROOT@", root), EXECUTABLE);
    }
  }

  static String text(String name) {
    try (InputStream in = Shims.class.getResourceAsStream("shims/" + name)) {
      if (in == null) {
        throw new IllegalStateException("resource shims/" + name + " missing from the ssh-socket jar");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
