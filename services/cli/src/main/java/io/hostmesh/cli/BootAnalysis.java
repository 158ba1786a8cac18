package io.hostmesh.cli;

import io.hostmesh.mesh.UnitStatus;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/** The text analyses of {@code hostmesh analyze}, computed from {@code /v1/units}. */
public final class BootAnalysis {
  private BootAnalysis() {}

  /** Units by activation time, slowest first: {@code systemd-analyze blame}. */
  public static String blame(List<UnitStatus> units) {
    StringBuilder b = new StringBuilder();
    units.stream().filter(u -> u.activatingMillis() >= 0 && u.settledMillis() >= u.activatingMillis())
        .sorted(Comparator.comparingLong((UnitStatus u) -> u.settledMillis() - u.activatingMillis()).reversed())
        .forEach(u -> b.append(String.format("%8s %s%n", ms(u.settledMillis() - u.activatingMillis()), u.name())));
    return b.toString();
  }

  /**
   * The critical chain of {@code unit} (default: the unit that settled last): each line is a unit
   * with the time it settled ({@code @}) and how long it took ({@code +}); below it, the
   * dependency that settled last before it started — the one that held it up.
   */
  public static String criticalChain(List<UnitStatus> units, String unit) {
    Map<String, UnitStatus> byName = units.stream().collect(Collectors.toMap(UnitStatus::name, Function.identity()));
    Optional<UnitStatus> top = unit != null ? Optional.ofNullable(byName.get(unit))
        : units.stream().filter(u -> u.settledMillis() >= 0).max(Comparator.comparingLong(UnitStatus::settledMillis));
    if (top.isEmpty()) {
      return unit == null ? "no unit has settled yet\n" : "no unit named " + unit + "\n";
    }
    StringBuilder b = new StringBuilder("The time when unit became active or started is printed after the \"@\" character.\n"
        + "The time the unit took to start is printed after the \"+\" character.\n\n");
    UnitStatus u = top.get();
    String indent = "";
    for (int depth = 0; u != null && depth < 32; depth++) {
      b.append(indent).append(depth == 0 ? "" : "└─").append(u.name());
      if (u.settledMillis() >= 0) {
        b.append(" @").append(ms(u.settledMillis()));
        if (u.activatingMillis() >= 0 && u.settledMillis() > u.activatingMillis()) {
          b.append(" +").append(ms(u.settledMillis() - u.activatingMillis()));
        }
      }
      if (!u.requires().isEmpty()) {
        b.append("  (waits for ").append(String.join(", ", u.requires())).append(")");
      }
      b.append(" ").append(u.state().label()).append('\n');
      u = heldUpBy(u, units, byName);
      indent += depth == 0 ? "" : "  ";
    }
    return b.toString();
  }

  /** The dependency of {@code u} (a provider of what it requires, or a unit it is after) that settled last. */
  static UnitStatus heldUpBy(UnitStatus u, List<UnitStatus> units, Map<String, UnitStatus> byName) {
    long start = u.activatingMillis() >= 0 ? u.activatingMillis() : Long.MAX_VALUE;
    return units.stream()
        .filter(d -> d != u && (u.after().contains(d.name()) || d.provides().stream().anyMatch(u.requires()::contains)))
        .filter(d -> d.settledMillis() >= 0 && d.settledMillis() <= start)
        .max(Comparator.comparingLong(UnitStatus::settledMillis)).orElse(null);
  }

  static String ms(long millis) {
    return millis >= 1000 ? String.format("%.3fs", millis / 1000.0) : millis + "ms";
  }
}
