package io.hostmesh.cli;

import io.hostmesh.bus.JsonRecordCodec;
import io.hostmesh.mesh.JournalEntry;
import io.hostmesh.mesh.UnitStatus;
import io.hostmesh.schema.unit.UnitState;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code hostmesh status}: the units like {@code systemctl list-units}; {@code hostmesh status UNIT}:
 * one unit like {@code systemctl status UNIT} (state and since, what it requires, its last log lines).
 */
@Command(name = "status", mixinStandardHelpOptions = true, description = {
    "List the units and their states, or show one unit like 'systemctl status UNIT'.",
    "Exit: 0; 3 when a unit shown failed; 4 no such unit; 1 no API; 2 bad --root."})
final class StatusCommand extends ApiCommand {
  @Parameters(arity = "0..1", paramLabel = "UNIT", description = "One unit: state, since, requires, last log lines.")
  String unit;

  @Option(names = {"-n", "--lines"}, defaultValue = "10", description = "Log lines shown with UNIT (default: ${DEFAULT-VALUE}).")
  int lines;

  @Option(names = "--json", description = "JSON for scripts: the units (/v1/units), or {unit, logs} with UNIT.")
  boolean json;

  @Override
  int run(ApiClient client) throws IOException {
    if (unit == null) {
      List<UnitStatus> units = client.units();
      out().print(json ? toJson(units) : render(units));
      // the mesh as a whole: /health decides (0 up, 5 degraded, 3 a unit gave up)
      return exitCode(client.health());
    }
    if (lines < 0) {
      err().println("hostmesh status: --lines must be 0 or more, not " + lines);
      return 2;
    }
    UnitStatus u;
    try {
      u = client.unit(unit);
    } catch (ApiClient.ApiError e) {
      if (e.status != 404) {
        throw e;
      }
      err().println("Unit " + unit + " could not be found.");
      return 4;
    }
    List<JournalEntry> logs = lines == 0 ? List.of() : client.logs(Map.of("unit", unit, "lines", Integer.toString(lines)));
    if (json) {
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("unit", u);
      body.put("logs", logs);
      out().println(toJson(body));
    } else {
      out().print(UnitView.render(u, client.boot().uptimeMillis(), logs));
    }
    return exitCode(List.of(u));
  }

  /** The exit code for the units shown: 3 when one of them failed (as systemctl for a unit not running), else 0. */
  static int exitCode(List<UnitStatus> shown) {
    return shown.stream().anyMatch(u -> u.state() == UnitState.FAILED) ? 3 : 0;
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
      String mark = u.state() == UnitState.FAILED ? "●" : " ";
      b.append(String.format("%s%-23s %-8s %-12s %s%s%n", mark, u.name(), u.type(), u.state().label(), u.description(),
          u.detail().isEmpty() ? "" : " — " + u.detail()));
    }
    long failed = units.stream().filter(u -> u.state() == UnitState.FAILED).count();
    long disabled = units.stream().filter(u -> u.state() == UnitState.DISABLED).count();
    b.append(String.format("%n%d units listed, %d failed%s.%n", units.size(), failed,
        disabled == 0 ? "" : ", " + disabled + " disabled"));
    return b.toString();
  }

  static String toJson(Object o) {
    return new String(JsonRecordCodec.toJson(o), StandardCharsets.UTF_8);
  }
}
