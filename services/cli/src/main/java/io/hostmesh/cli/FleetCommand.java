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
    subcommands = {FleetCommand.Run.class, FleetCommand.Worker.class, FleetReplayCommand.class})
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

    @Option(names = "--cluster", description = "Run the partitions on the cluster's workers (hostmesh fleet worker) instead of this JVM.")
    boolean cluster;

    @picocli.CommandLine.Mixin
    ClusterOptions clusterOptions;

    @Option(names = "--port", paramLabel = "N",
        description = "Serves GET /v1/fleet (progress and the counters so far) on 127.0.0.1:N while the fleet runs; 0 picks a free port, printed on standard error.")
    Integer port;

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
      if (cluster && trace >= 0) {
        throw new CliFailure(ExitCodes.USAGE, "--trace needs the device's partition in this JVM: leave out --cluster");
      }
      if (cluster) {
        return ClusterOptions.engine().run(new FleetEngine.Run(scenario, devices, seed, report, trace, parts),
            clusterOptions.toJoin(), spec.commandLine().getOut(), spec.commandLine().getErr());
      }
      FleetEngine engine = ServiceLoader.load(FleetEngine.class).findFirst().orElseThrow(() -> new CliFailure(
          ExitCodes.UNAVAILABLE, "the fleet simulation is not on the class path: it ships as hostmesh-fleet.jar, never in the device jar"
              + " (./hostmesh puts services/fleet/target/hostmesh-fleet.jar there for fleet commands)"));
      FleetEngine.Run run = new FleetEngine.Run(scenario, devices, seed, report, trace, parts);
      return port == null ? engine.run(run, spec.commandLine().getOut(), spec.commandLine().getErr())
          : engine.run(run, port, spec.commandLine().getOut(), spec.commandLine().getErr());
    }
  }

  @Command(name = "worker", mixinStandardHelpOptions = true,
      description = "Join a cluster and run fleet partitions for its coordinators (hostmesh fleet run --cluster) until stopped.")
  static final class Worker implements Callable<Integer> {
    @Option(names = "--cores", paramLabel = "N", defaultValue = "0",
        description = "Partitions run at once (default 0: one per core of this machine).")
    int cores;

    @picocli.CommandLine.Mixin
    ClusterOptions clusterOptions;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
      if (cores < 0 || cores > 1024) {
        throw new CliFailure(ExitCodes.USAGE, "--cores must be 0 (one per core) to 1024, not " + cores);
      }
      int n = cores == 0 ? Runtime.getRuntime().availableProcessors() : cores;
      return ClusterOptions.engine().worker(clusterOptions.toJoin(), n, spec.commandLine().getOut(),
          spec.commandLine().getErr());
    }
  }
}
