package io.hostmesh.cli;

import io.hostmesh.mesh.BootSummary;
import io.hostmesh.mesh.UnitStatus;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code hostmesh analyze [blame|critical-chain|plot]}, after {@code systemd-analyze}: alone it
 * prints "Startup finished in ..." (or that the boot is not finished, exit 1).
 */
@Command(name = "analyze", mixinStandardHelpOptions = true, description = {
    "Analyze the boot: alone, 'Startup finished in ...' and when each target was reached.",
    "Exit: 0; 1 boot not finished (summary; a boot that never reached userspace) or no API; 2 bad --root;",
    "64 --boot not a boot or not kept; 66 no such unit (critical-chain)."},
    subcommands = {AnalyzeCommand.Blame.class, AnalyzeCommand.CriticalChain.class, AnalyzeCommand.Plot.class})
final class AnalyzeCommand implements Callable<Integer> {
  @Mixin
  ApiOptions api;

  @Option(names = "--json", scope = CommandLine.ScopeType.INHERIT, description = "JSON for scripts (not for plot).")
  boolean json;

  @Option(names = "--boot", scope = CommandLine.ScopeType.INHERIT, paramLabel = "N",
      description = "Analyze boot N: 0 this boot (the default), -1 the one before, ..., 1 the oldest kept, or a boot id"
          + " (hostmesh logs --list-boots shows them); an ended boot as it stood when it began to end.")
  String boot;

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() {
    return run(spec, this, (client, out) -> {
      BootSummary summary = client.boot(boot);
      out.print(json ? StatusCommand.toJson(summary) + "\n" : BootAnalysis.summary(summary, client.units(boot)));
      return summary.finishedMillis() < 0 ? 1 : 0;
    });
  }

  /** One analysis: what it prints and its exit code. */
  interface Analysis {
    int print(ApiClient client, PrintWriter out) throws IOException;
  }

  static int run(CommandSpec spec, AnalyzeCommand parent, Analysis analysis) {
    PrintWriter err = spec.commandLine().getErr();
    String problem = parent.boot == null ? null : BootChoice.problem("--boot", parent.boot, false);
    if (problem != null) {
      err.println(spec.qualifiedName() + ": " + problem);
      err.flush();
      return ExitCodes.USAGE;
    }
    try {
      return analysis.print(parent.api.client(), spec.commandLine().getOut());
    } catch (ApiClient.ApiError e) {
      err.println(spec.qualifiedName() + ": " + e.getMessage());
      // a boot not kept is a usage error; one that never reached userspace has no analysis (not finished)
      return BootChoice.refused(e) ? ExitCodes.USAGE : 1;
    } catch (ApiOptions.BadRoot e) {
      err.println(spec.qualifiedName() + ": " + e.getMessage());
      return 2;
    } catch (IOException e) {
      err.println(spec.qualifiedName() + ": " + e.getMessage());
      return 1;
    } finally {
      // picocli's writers flush only on println; Main exits right after
      spec.commandLine().getOut().flush();
      err.flush();
    }
  }

  abstract static class Sub implements Callable<Integer> {
    @CommandLine.ParentCommand
    AnalyzeCommand parent;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
      return run(spec, parent, this::print);
    }

    abstract int print(ApiClient client, PrintWriter out) throws IOException;
  }

  @Command(name = "blame", description = "Units by the time they took to start, slowest first; then those not settled yet.")
  static final class Blame extends Sub {
    @Override
    int print(ApiClient client, PrintWriter out) throws IOException {
      List<UnitStatus> units = client.units(parent.boot);
      long now = client.boot(parent.boot).uptimeMillis();
      out.print(parent.json ? StatusCommand.toJson(BootAnalysis.blameJson(units, now)) + "\n" : BootAnalysis.blame(units, now));
      return 0;
    }
  }

  @Command(name = "critical-chain", description = "The chain of units that held up a unit (default: the last to settle).")
  static final class CriticalChain extends Sub {
    @Parameters(arity = "0..1", paramLabel = "UNIT")
    String unit;

    @Override
    int print(ApiClient client, PrintWriter out) throws IOException {
      List<UnitStatus> units = client.units(parent.boot);
      if (unit != null && units.stream().noneMatch(u -> u.name().equals(unit))) {
        spec.commandLine().getErr().println("hostmesh analyze critical-chain: no unit named " + unit + " (hostmesh status lists them)");
        return ExitCodes.NO_INPUT;
      }
      if (!parent.json) {
        out.print(BootAnalysis.criticalChain(units, unit));
        return 0;
      }
      List<Map<String, Object>> chain = new ArrayList<>();
      for (UnitStatus u : BootAnalysis.chain(units, unit)) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("unit", u.name());
        m.put("state", u.state());
        m.put("activatingMillis", u.activatingMillis());
        m.put("settledMillis", u.settledMillis());
        m.put("requires", u.requires());
        chain.add(m);
      }
      out.println(StatusCommand.toJson(chain));
      return 0;
    }
  }

  @Command(name = "plot", description = "An SVG picture of the boot timeline (up to now while it is not finished), on standard output.")
  static final class Plot extends Sub {
    @Override
    int print(ApiClient client, PrintWriter out) throws IOException {
      out.print(BootPlot.svg(client.units(parent.boot), client.timeline(parent.boot), client.boot(parent.boot).uptimeMillis()));
      return 0;
    }
  }
}
