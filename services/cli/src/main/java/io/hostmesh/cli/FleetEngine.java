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

  /**
   * What {@code hostmesh fleet replay} was asked.
   *
   * @param scenario the scenario file
   * @param devices overrides the scenario's device count (null: the scenario's); only bounds {@code device}
   * @param seed overrides the scenario's seed (null: the scenario's)
   * @param device the id of the device to replay
   */
  record Replay(Path scenario, Integer devices, Long seed, int device) {}

  /**
   * One device of a fleet as a sim device root gets it. Times are relative to the fleet's true time
   * at the device's first boot, so a replay that starts now keeps them as they were.
   *
   * @param scenario the scenario's name
   * @param seed the seed
   * @param device its id
   * @param mix the name of its mix
   * @param config its config.json text, as the fleet wrote it
   * @param fleetBootTime the fleet's true time at its first boot
   * @param bootAtMillis its first boot, virtual milliseconds from the fleet's start
   * @param clockErrorMillis its system clock at boot minus true time (a kernel without RTC starts far back)
   * @param buildTimeOffsetMillis its build time ({@code /etc/timestamp}) minus true time at boot
   * @param rtc whether it has an RTC
   * @param rtcErrorMillis its RTC at boot minus true time
   * @param rtcDriftPpm how fast its RTC runs (positive: fast)
   * @param events the scenario's events that pick it, one line each, with how to do them by hand
   */
  record ReplayDevice(String scenario, long seed, int device, String mix, String config, java.time.Instant fleetBootTime,
      long bootAtMillis, long clockErrorMillis, long buildTimeOffsetMillis, boolean rtc, long rtcErrorMillis,
      double rtcDriftPpm, java.util.List<String> events) {}

  /**
   * Derives one device of a fleet and hands it to {@code boot}, which runs it as a sim device and
   * returns the exit code; a scenario or device that is refused returns its exit code with one line
   * on {@code err} and {@code boot} is not called.
   */
  default int replay(Replay replay, java.util.function.ToIntFunction<ReplayDevice> boot, PrintWriter out, PrintWriter err) {
    err.println("hostmesh fleet replay: this fleet engine cannot replay a device");
    return ExitCodes.UNAVAILABLE;
  }
}
