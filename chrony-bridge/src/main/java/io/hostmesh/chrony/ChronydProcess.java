package io.hostmesh.chrony;

import io.hostmesh.platform.Processes;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * One running {@code chronyd -d}: its output forwarded line by line, its exit observed, and a
 * stop that waits until the process is gone (the JDK reaps it, so no zombie is left). Should the
 * unit not stop it, the device's platform ends it when the device stops (no static registry: a
 * device's daemons belong to that device).
 *
 * <p>Threading: {@code onLine} and the {@link #exit()} future run on the owner's context.
 */
final class ChronydProcess {
  /** chronyd -d prefixes each line with an ISO timestamp; the unit log has its own. */
  private static final Pattern TIMESTAMP = Pattern.compile("^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ ");

  private final Process process;
  private final Future<Integer> exit;

  private ChronydProcess(Process process, Context context) {
    this.process = process;
    Promise<Integer> exited = Promise.promise();
    process.onExit().whenComplete((p, e) -> {
      context.runOnContext(v -> exited.complete(process.exitValue()));
    });
    this.exit = exited.future();
  }

  /**
   * Stops a chronyd of this device that outlived its mesh (the mesh was killed with SIGKILL where
   * no parent-death signal could end it): the live process named by the device's pid file, if its
   * command line runs this device's {@code conf}. Anything else with that pid (a reused pid,
   * another chronyd) is left alone. SIGTERM, then SIGKILL after {@code grace}; blocking, so it
   * runs on a worker. Completes with the pid stopped, or -1 when there was none.
   */
  static Future<Long> stopStale(io.vertx.core.Vertx vertx, java.nio.file.Path pidFile, String conf, Duration grace) {
    return vertx.executeBlocking(() -> {
      java.util.Optional<ProcessHandle> stale = stale(pidFile, conf);
      if (stale.isEmpty()) {
        return -1L;
      }
      ProcessHandle h = stale.get();
      h.destroy();
      try {
        h.onExit().get(grace.toMillis(), TimeUnit.MILLISECONDS);
      } catch (java.util.concurrent.TimeoutException e) {
        h.destroyForcibly();
        h.onExit().get(grace.toMillis(), TimeUnit.MILLISECONDS);
      }
      return h.pid();
    }, false);
  }

  /** The live chronyd of the pid file whose command line names {@code conf}. */
  static java.util.Optional<ProcessHandle> stale(java.nio.file.Path pidFile, String conf) {
    long pid;
    try {
      pid = Long.parseLong(java.nio.file.Files.readString(pidFile).strip());
    } catch (IOException | NumberFormatException e) {
      return java.util.Optional.empty();
    }
    if (pid == ProcessHandle.current().pid()) {
      return java.util.Optional.empty();
    }
    return ProcessHandle.of(pid).filter(ProcessHandle::isAlive).filter(h -> runs(h.pid(), conf));
  }

  /** Whether /proc/PID/cmdline is {@code chronyd ... -f conf ...}. */
  private static boolean runs(long pid, String conf) {
    try {
      String[] argv = new String(java.nio.file.Files.readAllBytes(java.nio.file.Path.of("/proc", Long.toString(pid), "cmdline")),
          StandardCharsets.UTF_8).split("\0");
      if (argv.length == 0 || !java.nio.file.Path.of(argv[0]).getFileName().toString().equals("chronyd")) {
        return false;
      }
      for (int i = 1; i + 1 < argv.length; i++) {
        if (argv[i].equals("-f") && argv[i + 1].equals(conf)) {
          return true;
        }
      }
      return false;
    } catch (IOException | RuntimeException e) {
      return false; // gone meanwhile, or not ours to read
    }
  }

  /** Starts {@code argv}; {@code onLine} gets every output line without chronyd's timestamp. */
  static Future<ChronydProcess> start(Processes processes, List<String> argv, Context context, Consumer<String> onLine) {
    return processes.spawnLines(argv, Map.of(), context, line -> onLine.accept(TIMESTAMP.matcher(line).replaceFirst("")))
        .map(p -> new ChronydProcess(p, context));
  }

  long pid() {
    return process.pid();
  }

  boolean alive() {
    return process.isAlive();
  }

  /** Completes with the exit status once the process has ended and been reaped. */
  Future<Integer> exit() {
    return exit;
  }

  /**
   * SIGTERM, then SIGKILL if it is still there after {@code grace}; completes when it has
   * exited. Waits in real time on purpose: a process does not follow virtual time.
   */
  Future<Integer> stop(Duration grace) {
    if (!process.isAlive()) {
      return exit;
    }
    process.destroy();
    process.onExit().orTimeout(grace.toMillis(), TimeUnit.MILLISECONDS)
        .whenComplete((p, e) -> {
          if (e != null) {
            process.destroyForcibly();
          }
        });
    return exit;
  }
}
