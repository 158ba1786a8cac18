package io.hostmesh.platform;

import io.vertx.core.Future;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Programs of the host, always started from an argument vector, never through a shell, so no
 * value from config.json is ever interpreted by one.
 *
 * <p>In {@code sim} the programs named in the setting {@code sim.record} (udevadm, iw,
 * hostname, systemctl, ...) are recorded instead of run: the call completes with exit code 0
 * and a {@code CommandRecorded} event.
 *
 * <p>Threading: every method may be called from any thread and never blocks the caller: a command
 * waits and its output is drained on threads of its own (a command never holds a Vert.x worker,
 * so concurrent commands cannot starve each other or {@code executeBlocking}); the futures
 * complete on the caller's context. A command that outlives its timeout is killed with its
 * descendants (SIGTERM, then SIGKILL), always through its {@code Process} handle, never by a pid
 * that may have been reaped and reused.
 */
public interface Processes {
  /** Runs a command to completion on a worker thread; it is killed after {@code timeout}. */
  Future<ProcessResult> run(List<String> argv, Duration timeout);

  /** Starts a long-running program; the caller owns the returned process. */
  Future<Process> spawn(List<String> argv, Map<String, String> environment);

  /**
   * Starts a long-running program whose standard error goes into its standard output: one pipe,
   * so one thread drains it (a daemon that only logs needs no second thread for life).
   * Implementations without real pipes may start it as {@link #spawn} does.
   */
  default Future<Process> spawnMerged(List<String> argv, Map<String, String> environment) {
    return spawn(argv, environment);
  }

  /** Whether a program is on the PATH (or an absolute executable path). */
  boolean available(String program);
}
