package io.hostmesh.chrony;

import io.hostmesh.platform.ProcessResult;
import io.hostmesh.platform.Processes;
import io.hostmesh.schema.chrony.ChronySource;
import io.vertx.core.Future;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * chronyc talking to one chronyd through that daemon's own command socket ({@code -h <socket>}),
 * never the host's default one. Every call runs chronyc to completion on a worker thread.
 *
 * <p>Failure: a future fails only when chronyc could not be run; a command chronyd refused
 * comes back as a {@link ProcessResult} with a non-zero exit code.
 */
final class Chronyc {
  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  private final Processes processes;
  private final String program;
  private final String socket;

  Chronyc(Processes processes, String program, String socket) {
    this.processes = processes;
    this.program = program;
    this.socket = socket;
  }

  /** Runs {@code chronyc -h <socket> <args...>}. */
  Future<ProcessResult> run(String... args) {
    List<String> argv = new ArrayList<>(3 + args.length);
    argv.add(program);
    argv.add("-h");
    argv.add(socket);
    java.util.Collections.addAll(argv, args);
    return processes.run(argv, TIMEOUT);
  }

  /** {@code chronyc -c -n sources}, parsed; fails when chronyd does not answer. */
  Future<List<ChronySource>> sources() {
    return run("-c", "-n", "sources").compose(r -> r.ok()
        ? Future.succeededFuture(ChronyReports.sources(r.stdout()))
        : Future.failedFuture(new IllegalStateException("chronyc sources: " + r.stderr().trim())));
  }

  /** {@code chronyc -c tracking}, parsed; fails when chronyd does not answer. */
  Future<ChronyReports.Tracking> tracking() {
    return run("-c", "tracking").compose(r -> r.ok()
        ? Future.succeededFuture(ChronyReports.tracking(r.stdout()))
        : Future.failedFuture(new IllegalStateException("chronyc tracking: " + r.stderr().trim())));
  }

  /**
   * chrony-helper update-sources (spec/units.md §chronyd): when chronyd answers
   * {@code tracking}, {@code reload sources}. Completes with true when it reloaded.
   */
  Future<Boolean> updateSources() {
    return run("-n", "-m", "tracking").compose(t -> t.ok()
        ? run("-n", "-m", "reload sources").map(ProcessResult::ok)
        : Future.succeededFuture(false));
  }
}
