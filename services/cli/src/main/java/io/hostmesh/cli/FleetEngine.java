package io.hostmesh.cli;

import java.io.PrintWriter;
import java.nio.file.Path;

/**
 * The fleet simulation behind {@code hostmesh fleet run}, found through {@link java.util.ServiceLoader}
 * (the {@code fleet} module provides it; it depends on the unit modules, which the CLI must not, so
 * the CLI reaches it only through this interface).
 */
public interface FleetEngine {
  /**
   * What {@code hostmesh fleet run} was asked.
   *
   * @param scenario the scenario file
   * @param devices overrides the scenario's device count (null: the scenario's)
   * @param seed overrides the scenario's seed (null: the scenario's)
   * @param report the folder for report.json, the CSV series and report.html (created)
   * @param trace a device id whose timeline goes to {@code trace-ID.txt} in the report folder, or -1
   * @param partitions how many partitions (one event loop and thread each)
   */
  record Run(Path scenario, Integer devices, Long seed, Path report, int trace, int partitions) {}

  /** Runs the fleet; returns an exit code of {@link ExitCodes}, having printed one line on {@code err} for a failure. */
  int run(Run run, PrintWriter out, PrintWriter err);

  /**
   * Runs the fleet as {@link #run(Run, PrintWriter, PrintWriter)} does, serving {@code GET /v1/fleet}
   * on 127.0.0.1:{@code apiPort} while it runs (0: a free port, printed on {@code err}). An engine
   * without a live view runs the fleet without one.
   */
  default int run(Run run, int apiPort, PrintWriter out, PrintWriter err) {
    return run(run, out, err);
  }
}
