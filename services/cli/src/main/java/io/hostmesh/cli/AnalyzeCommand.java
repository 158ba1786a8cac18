package io.hostmesh.cli;

import io.hostmesh.mesh.UnitStatus;
import io.hostmesh.schema.unit.UnitStateChanged;
import java.io.IOException;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code hostmesh analyze blame|critical-chain|plot}, after {@code systemd-analyze}. */
@Command(name = "analyze", mixinStandardHelpOptions = true, description = "Analyze the boot.",
    subcommands = {AnalyzeCommand.Blame.class, AnalyzeCommand.CriticalChain.class, AnalyzeCommand.Plot.class})
final class AnalyzeCommand implements Callable<Integer> {
  @Option(names = "--host", defaultValue = "127.0.0.1", scope = CommandLine.ScopeType.INHERIT)
  String host;

  @Option(names = "--port", defaultValue = "48400", scope = CommandLine.ScopeType.INHERIT)
  int port;

  @Override
  public Integer call() {
    CommandLine.usage(this, System.out);
    return 0;
  }

  abstract static class Sub implements Callable<Integer> {
    @CommandLine.ParentCommand
    AnalyzeCommand parent;

    @Override
    public Integer call() {
      try {
        ApiClient api = new ApiClient(parent.host, parent.port);
        System.out.print(render(api.units(), api.timeline()));
        return 0;
      } catch (IOException e) {
        System.err.println("hostmesh analyze: " + e.getMessage());
        return 1;
      }
    }

    abstract String render(List<UnitStatus> units, List<UnitStateChanged> timeline);
  }

  @Command(name = "blame", description = "Units by the time they took to start, slowest first.")
  static final class Blame extends Sub {
    @Override
    String render(List<UnitStatus> units, List<UnitStateChanged> timeline) {
      return BootAnalysis.blame(units);
    }
  }

  @Command(name = "critical-chain", description = "The chain of units that held up a unit (default: the last to settle).")
  static final class CriticalChain extends Sub {
    @Parameters(arity = "0..1", paramLabel = "UNIT")
    String unit;

    @Override
    String render(List<UnitStatus> units, List<UnitStateChanged> timeline) {
      return BootAnalysis.criticalChain(units, unit);
    }
  }

  @Command(name = "plot", description = "An SVG picture of the boot timeline, on standard output.")
  static final class Plot extends Sub {
    @Override
    String render(List<UnitStatus> units, List<UnitStateChanged> timeline) {
      return BootPlot.svg(units, timeline);
    }
  }

  static Comparator<UnitStatus> bySettled() {
    return Comparator.comparingLong(UnitStatus::settledMillis);
  }
}
