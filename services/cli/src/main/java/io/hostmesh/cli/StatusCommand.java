package io.hostmesh.cli;

import io.hostmesh.mesh.UnitStatus;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code hostmesh status}: the units like {@code systemctl list-units}. */
@Command(name = "status", mixinStandardHelpOptions = true, description = "List the units and their states.")
final class StatusCommand implements Callable<Integer> {
  @Option(names = "--host", defaultValue = "127.0.0.1")
  String host;

  @Option(names = "--port", defaultValue = "48400", description = "API port (default: ${DEFAULT-VALUE}).")
  int port;

  @Override
  public Integer call() {
    try {
      ApiClient api = new ApiClient(host, port);
      List<UnitStatus> units = api.units();
      System.out.print(render(units));
      return exitCode(api.health());
    } catch (java.io.IOException e) {
      System.err.println("hostmesh status: " + e.getMessage());
      return 1;
    }
  }

  /** Exit code when a unit has given up ({@code /health} 503, FAILED). */
  static final int FAILED = 3;
  /** Exit code when the mesh is degraded: a config.json key refused, no config yet, a failed unit being restarted. */
  static final int DEGRADED = 5;

  /** The exit code for {@code /health}'s status: 0 UP, {@value #DEGRADED} DEGRADED, {@value #FAILED} FAILED. */
  static int exitCode(String health) {
    return switch (health) {
      case "UP" -> 0;
      case "FAILED" -> FAILED;
      default -> DEGRADED;
    };
  }

  static String render(List<UnitStatus> units) {
    StringBuilder b = new StringBuilder(String.format("%-24s %-8s %-12s %s%n", "UNIT", "TYPE", "STATE", "DESCRIPTION / DETAIL"));
    for (UnitStatus u : units) {
      String mark = u.state() == io.hostmesh.schema.unit.UnitState.FAILED ? "●" : " ";
      b.append(String.format("%s%-23s %-8s %-12s %s%s%n", mark, u.name(), u.type(), u.state().label(), u.description(),
          u.detail().isEmpty() ? "" : " — " + u.detail()));
    }
    long failed = units.stream().filter(u -> u.state() == io.hostmesh.schema.unit.UnitState.FAILED).count();
    b.append(String.format("%n%d units listed, %d failed.%n", units.size(), failed));
    return b.toString();
  }
}
