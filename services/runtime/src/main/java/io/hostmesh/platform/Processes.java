package io.hostmesh.platform;

import io.hostmesh.platform.internal.ThreadLines;
import io.vertx.core.Context;
import io.vertx.core.Future;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

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
   * Starts a long-running program whose standard output and standard error are one stream, read
   * line by line: each line (without its newline; a last one without a newline too) goes to
   * {@code onLine} on {@code context}, in order. The returned process's streams are not the
   * caller's to read. On an epoll event loop the device platform reads the pipe on that loop (no
   * thread); otherwise, and by default, a thread reads it while the program runs.
   */
  default Future<Process> spawnLines(List<String> argv, Map<String, String> environment, Context context,
      Consumer<String> onLine) {
    return spawn(argv, environment).map(p -> ThreadLines.drain(p, argv, context, onLine));
  }

  /** Whether a program is on the PATH (or an absolute executable path). */
  boolean available(String program);
}
