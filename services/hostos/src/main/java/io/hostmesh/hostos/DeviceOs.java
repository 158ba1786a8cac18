package io.hostmesh.hostos;

import io.hostmesh.platform.ProcessResult;
import io.hostmesh.platform.Processes;
import io.vertx.core.Future;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * What the host OS units do on a real device (profile {@code device}), after the balenaOS
 * scripts: the running root from the mounts, the real update hooks, the real health check and
 * {@code reboot}. Commands run from argument vectors.
 */
final class DeviceOs {
  /** The running root's mount point. */
  static final String ACTIVE = "/mnt/sysroot/active";
  static final String INACTIVE = "/mnt/sysroot/inactive";
  static final String HOOKS = "/usr/bin/hostapp-update-hooks";
  static final String ENGINE_HEALTHCHECK = "/usr/lib/balena/balena-healthcheck";
  static final String BOARD_HEALTHCHECK = "/usr/bin/rollback-board-healthcheck";
  /** Where the inactive root's os-release is looked for (rollback-check-version finds it under the inactive root). */
  static final List<String> INACTIVE_OS_RELEASE = List.of(INACTIVE + "/current/boot/etc/os-release",
      INACTIVE + "/etc/os-release");
  static final Duration HOOKS_TIMEOUT = Duration.ofMinutes(15);
  static final Duration CHECK_TIMEOUT = Duration.ofMinutes(2);
  static final Duration SHORT = Duration.ofSeconds(30);

  private DeviceOs() {}

  /**
   * rollback-parse-bootloader's {@code current_part_idx}: the partition index of what is mounted
   * on {@code /mnt/sysroot/active} ({@code /proc/self/mountinfo}, then
   * {@code /sys/class/block/<dev>/partition}); empty when it cannot be found.
   */
  static OptionalInt runningPartition(BootEnv.Reader files) throws IOException {
    Optional<String> info = files.read("/proc/self/mountinfo");
    if (info.isEmpty()) {
      return OptionalInt.empty();
    }
    for (String line : info.get().split("\n")) {
      String[] f = line.split(" ");
      int dash = List.of(f).indexOf("-");
      if (f.length < 5 || dash < 0 || dash + 2 >= f.length || !ACTIVE.equals(unescape(f[4]))) {
        continue;
      }
      String source = unescape(f[dash + 2]);
      String dev = source.substring(source.lastIndexOf('/') + 1);
      if (dev.isEmpty() || dev.contains("..")) {
        return OptionalInt.empty();
      }
      Optional<String> part = files.read("/sys/class/block/" + dev + "/partition");
      try {
        return part.map(p -> OptionalInt.of(Integer.parseInt(p.trim()))).orElse(OptionalInt.empty());
      } catch (NumberFormatException e) {
        return OptionalInt.empty();
      }
    }
    return OptionalInt.empty();
  }

  /** mountinfo escapes space, tab, newline and backslash as octal. */
  private static String unescape(String s) {
    return s.replace("\\040", " ").replace("\\011", "\t").replace("\\012", "\n").replace("\\134", "\\");
  }

  /** {@code DURING_UPDATE=<d> hostapp-update-hooks}. */
  static Future<Void> hooks(Processes p, boolean duringUpdate) {
    return ok(p.run(List.of("env", "DURING_UPDATE=" + (duringUpdate ? 1 : 0), HOOKS), HOOKS_TIMEOUT));
  }

  /**
   * rollback-health's {@code run_hooks_from_inactive}: mount the old OS's root (found by its
   * init's {@code -sysroot}), bind the device's mounts into it, and run its hooks there with
   * {@code DURING_UPDATE=1}. Like the original it leaves the mounts for the reboot to clear.
   */
  static Future<Void> hooksFromInactive(Processes p) {
    return p.run(List.of(ACTIVE + "/current/boot/init", "-sysroot", INACTIVE), SHORT).compose(r -> {
      String old = r.stdout().trim();
      if (!r.ok() || old.isEmpty() || !old.startsWith("/")) {
        return Future.failedFuture("cannot find the previous root: " + describe(r));
      }
      List<List<String>> steps = new ArrayList<>();
      steps.add(List.of("mount", "-t", "proc", "proc", old + "/proc/"));
      steps.add(List.of("mount", "-o", "bind", "/dev", old + "/dev"));
      for (String m : List.of("/mnt/boot/", "/mnt/state/", "/mnt/sysroot/", ACTIVE + "/", INACTIVE + "/")) {
        steps.add(List.of("mount", "--bind", m, old + m));
      }
      steps.add(List.of("mount", "-t", "sysfs", "sysfs", old + "/sys/"));
      steps.add(List.of("chroot", old, "env", "DURING_UPDATE=1", HOOKS));
      Future<Void> chain = Future.succeededFuture();
      for (List<String> argv : steps) {
        chain = chain.compose(v -> ok(p.run(argv, argv.get(0).equals("chroot") ? HOOKS_TIMEOUT : SHORT)));
      }
      return chain;
    });
  }

  /** {@code reboot}, or {@code systemctl --force reboot}. */
  static Future<Void> reboot(Processes p, boolean force) {
    return ok(p.run(force ? List.of("systemctl", "--force", "reboot") : List.of("reboot"), SHORT));
  }

  /** Runs a health check program; empty when it passed, else why not. */
  static Future<Optional<String>> check(Processes p, String program) {
    return p.run(List.of(program), CHECK_TIMEOUT)
        .map(r -> r.ok() ? Optional.<String>empty() : Optional.of(program + ": " + describe(r)))
        .otherwise(e -> Optional.of(program + ": " + e.getMessage()));
  }

  private static Future<Void> ok(Future<ProcessResult> run) {
    return run.compose(r -> r.ok() ? Future.<Void>succeededFuture()
        : Future.failedFuture(String.join(" ", r.argv()) + ": " + describe(r)));
  }

  private static String describe(ProcessResult r) {
    String err = r.stderr().strip();
    return (r.timedOut() ? "timed out" : "exit " + r.exitCode()) + (err.isEmpty() ? "" : " (" + last(err) + ")");
  }

  private static String last(String s) {
    String[] lines = s.split("\n");
    String l = lines[lines.length - 1];
    return l.length() > 200 ? l.substring(0, 200) + "..." : l;
  }
}
