package io.hostmesh.cli;

import java.nio.file.Path;
import java.util.ServiceLoader;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code hostmesh fleet run}: thousands of simulated devices in this JVM on virtual time (the fleet module). */
@Command(name = "fleet", mixinStandardHelpOptions = true, description = "Fleet simulation on virtual time.",
    subcommands = FleetCommand.Run.class)
final class FleetCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getOut());
    return ExitCodes.OK;
  }

  @Command(name = "run", mixinStandardHelpOptions = true,
      description = "Run a fleet scenario and write its report (report.json, CSV series, report.html).")
  static final class Run implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "SCENARIO.json", description = "The scenario file (schema: services/fleet/src/main/resources/io/hostmesh/fleet/scenario.schema.json).")
    Path scenario;

    @Option(names = "--devices", paramLabel = "N", description = "Overrides the scenario's device count.")
    Integer devices;

    @Option(names = "--seed", paramLabel = "S", description = "Overrides the scenario's seed.")
    Long seed;

    @Option(names = "--report", paramLabel = "DIR", defaultValue = "fleet-report",
        description = "Where the report goes (default: ${DEFAULT-VALUE}).")
    Path report;

    @Option(names = "--trace", paramLabel = "DEVICE_ID", defaultValue = "-1",
        description = "Writes that device's full timeline to DIR/trace-DEVICE_ID.txt.")
    int trace;

    @Option(names = "--partitions", paramLabel = "N",
        description = "Partitions, each on an event loop and thread of its own (default: one per core).")
    Integer partitions;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
      if (devices != null && (devices < 1 || devices > 1_000_000)) {
        throw new CliFailure(ExitCodes.USAGE, "--devices must be 1 to 1000000, not " + devices);
      }
      int parts = partitions != null ? partitions : Runtime.getRuntime().availableProcessors();
      if (parts < 1 || parts > 1024) {
        throw new CliFailure(ExitCodes.USAGE, "--partitions must be 1 to 1024, not " + parts);
      }
      if (trace < -1) {
        throw new CliFailure(ExitCodes.USAGE, "--trace takes a device id (0 or more), not " + trace);
      }
      FleetEngine engine = ServiceLoader.load(FleetEngine.class).findFirst().orElseThrow(() -> new CliFailure(
          ExitCodes.UNAVAILABLE, "the fleet simulation is not on the class path (the fleet module's jar)"));
      return engine.run(new FleetEngine.Run(scenario, devices, seed, report, trace, parts), spec.commandLine().getOut(),
          spec.commandLine().getErr());
    }
  }
}
