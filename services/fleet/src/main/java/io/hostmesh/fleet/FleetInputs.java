package io.hostmesh.fleet;

import io.hostmesh.cli.ExitCodes;
import io.hostmesh.cli.FleetEngine;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.util.List;

/**
 * What every fleet run checks before it starts, in one JVM or on a cluster: the scenario file
 * read and valid, the trace device in the fleet, then ({@link #reportFolder}) the report folder
 * writable. A refused run writes nothing and says why in one line.
 *
 * @param scenario the scenario with the command line's overrides, or null when refused
 * @param exit the exit code when refused
 */
record FleetInputs(Scenario scenario, int exit) {
  static FleetInputs check(FleetEngine.Run run, PrintWriter err) {
    String text;
    try {
      text = Files.readString(run.scenario(), StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      err.println("hostmesh fleet run: no scenario file at " + run.scenario()
          + " (examples: services/fleet/scenarios/*.json)");
      return new FleetInputs(null, ExitCodes.NO_INPUT);
    } catch (IOException e) {
      err.println("hostmesh fleet run: cannot read " + run.scenario() + ": " + e.getMessage());
      return new FleetInputs(null, ExitCodes.NO_INPUT);
    }
    Scenario scenario;
    try {
      scenario = Scenario.parse(text).with(run.devices(), run.seed());
    } catch (Scenario.Invalid e) {
      err.println("hostmesh fleet run: " + run.scenario() + ": " + e.getMessage());
      return new FleetInputs(null, ExitCodes.DATA);
    }
    if (run.trace() >= scenario.devices()) {
      err.println("hostmesh fleet run: --trace " + run.trace() + " is not a device of this fleet (ids 0 to "
          + (scenario.devices() - 1) + ")");
      return new FleetInputs(null, ExitCodes.USAGE);
    }
    return new FleetInputs(scenario, ExitCodes.OK);
  }

  /**
   * Makes the report folder: the last check, after everything else that can refuse a run (the
   * live view's port), so a refused run leaves nothing behind. Returns the exit code, OK when made.
   */
  static int reportFolder(FleetEngine.Run run, PrintWriter err) {
    try {
      Files.createDirectories(run.report());
      if (!Files.isWritable(run.report())) {
        throw new IOException("not writable");
      }
      return ExitCodes.OK;
    } catch (IOException e) {
      err.println("hostmesh fleet run: cannot write the report into " + run.report() + ": " + e.getMessage());
      return ExitCodes.CANT_CREATE;
    }
  }

  boolean refused() {
    return scenario == null;
  }

  List<PartitionSpec> partitions(FleetEngine.Run run) {
    return PartitionSpec.split(scenario.json(), scenario.seed(), scenario.devices(), run.partitions());
  }
}
