package io.hostmesh.ssh;

import io.hostmesh.platform.ProcessResult;
import io.hostmesh.platform.Processes;
import io.vertx.core.Future;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What a sim device's SSH session sees (issue 17): its own mount and UTS namespace where the
 * device root's files lie where balenaOS has them, the device's commands first on the PATH, and a
 * bounding set without the capabilities that would reach the host's clock, network settings,
 * power or mounts.
 *
 * <p>{@code unshare --mount --uts --propagation private} runs the fixed script
 * {@code device-view.sh} (every path an argument, never inside its text), which mounts the view
 * and execs {@code setpriv --bounding-set} without {@link #DROPPED_CAPABILITIES}, then sshd. The
 * host's own files are never written: what the view adds lands on tmpfs and read-only overlays of
 * the namespace, {@code /tmp} and {@code /dev/shm} are the session's own tmpfs, {@code /proc/sys}
 * and {@code /sys} are read-only, and the host's root file system is remounted read-only in the
 * namespace once the device's folders are bound. README "Logging into a sim device" lists every
 * path.
 *
 * @param root the device root (host path)
 * @param shims the device path of the folder bound on {@code /usr/local/sbin}
 * @param shadow the device path of the shadow file put on {@code /etc/shadow}, or null
 */
record DeviceView(String root, String shims, String shadow) {
  /**
   * Taken from the bounding set before sshd starts: the host's clock, network settings,
   * reboot, mounts (the view is already made), kernel modules, raw I/O ({@code /dev/mem},
   * {@code iopl}), and ptrace over processes with more capabilities than the session's (every
   * host daemon: its {@code /proc/PID/root} is the host's file system, writable, around the
   * view). sshd needs none of them.
   */
  static final List<String> DROPPED_CAPABILITIES = List.of("sys_time", "net_admin", "sys_boot", "sys_admin", "sys_module",
      "sys_rawio", "sys_ptrace");
  static final String SCRIPT = resource("device-view.sh");
  /** The programs the view needs, with their Debian package. */
  static final List<String> PROGRAMS = List.of("unshare", "setpriv", "mount");
  private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(10);

  /** {@code program} (sshd and its arguments) run inside the view. */
  List<String> argv(List<String> program) {
    List<String> argv = new ArrayList<>(List.of("unshare", "--mount", "--uts", "--propagation", "private", "--",
        "sh", "-c", SCRIPT, "sh", root, shims, shadow == null ? "" : shadow, "setpriv", "--bounding-set",
        String.join(",", DROPPED_CAPABILITIES.stream().map(c -> "-" + c).toList()), "--"));
    argv.addAll(program);
    return List.copyOf(argv);
  }

  /**
   * Builds the view once, running {@code true} in it: empty when it can be built here, else why
   * not (not root, no overlayfs, no unshare ...). Never fails.
   */
  Future<Optional<String>> probe(Processes processes) {
    for (String p : PROGRAMS) {
      if (!processes.available(p)) {
        return Future.succeededFuture(Optional.of(p + " is not installed (Debian package util-linux)"));
      }
    }
    return processes.run(argv(List.of("true")), PROBE_TIMEOUT)
        .map(DeviceView::problem)
        .otherwise(e -> Optional.of(String.valueOf(e.getMessage())));
  }

  private static Optional<String> problem(ProcessResult r) {
    if (r.ok()) {
      return Optional.empty();
    }
    // the first line says what failed (mount adds a second one pointing at dmesg)
    String said = r.stderr().strip().lines().findFirst().orElse("no message");
    return Optional.of(said + " (exit " + r.exitCode() + ")");
  }

  private static String resource(String name) {
    try (InputStream in = DeviceView.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("resource " + name + " missing from the ssh-socket jar");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
