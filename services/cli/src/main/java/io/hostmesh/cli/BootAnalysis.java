package io.hostmesh.cli;

import io.hostmesh.mesh.BootSummary;
import io.hostmesh.mesh.UnitStatus;
import io.hostmesh.schema.unit.UnitState;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/** The text analyses of {@code hostmesh analyze}, computed from {@code /v1/units} and {@code /v1/boot}. */
public final class BootAnalysis {
  private BootAnalysis() {}

  /**
   * {@code systemd-analyze} without a verb: "Startup finished in ..." and when each target was
   * reached, or, while units are still starting, that the boot is not finished and which units.
   */
  public static String summary(BootSummary boot, List<UnitStatus> units) {
    StringBuilder b = new StringBuilder();
    if (boot.finishedMillis() < 0) {
      Map<String, UnitStatus> byName = units.stream().collect(Collectors.toMap(UnitStatus::name, Function.identity()));
      List<String> names = boot.unsettled().stream().map(n -> {
        UnitStatus u = byName.get(n);
        return u == null ? n : n + " (" + u.state().label() + (u.detail().isEmpty() ? "" : ": " + u.detail()) + ")";
      }).toList();
      b.append("Bootup is not yet finished after ").append(ms(boot.uptimeMillis())).append(" (")
          .append(names.size()).append(names.size() == 1 ? " unit" : " units").append(" not settled: ")
          .append(String.join(", ", names)).append(").\nPlease try again later.\n")
          .append("Hint: 'hostmesh analyze blame' shows how long each unit has taken so far.\n");
      return b.toString();
    }
    b.append("Startup finished in ").append(ms(boot.finishedMillis())).append(" (mesh)\n");
    boot.targets().entrySet().stream().sorted(Map.Entry.comparingByValue())
        .forEach(t -> b.append(t.getKey()).append(".target reached after ").append(ms(t.getValue())).append(" in the mesh.\n"));
    return b.toString();
  }

  /** Units by activation time, slowest first: {@code systemd-analyze blame}. */
  public static String blame(List<UnitStatus> units) {
    return blame(units, -1);
  }

  /**
   * As {@link #blame(List)}, then the units not settled at uptime {@code nowMillis}: those
   * activating with how long so far ({@code >2.000s}), those waiting with what they wait for.
   */
  public static String blame(List<UnitStatus> units, long nowMillis) {
    StringBuilder b = new StringBuilder();
    finished(units).forEach(u -> b.append(String.format("%8s %s%n", ms(u.settledMillis() - u.activatingMillis()), u.name())));
    List<UnitStatus> open = unsettled(units);
    if (nowMillis >= 0 && !open.isEmpty()) {
      b.append("Not settled yet:\n");
      for (UnitStatus u : open) {
        String took = u.state() == UnitState.ACTIVATING && u.activatingMillis() >= 0
            ? ">" + ms(Math.max(0, nowMillis - u.activatingMillis())) : "-";
        b.append(String.format("%8s %s (%s%s)%n", took, u.name(), u.state().label(), u.detail().isEmpty() ? "" : ": " + u.detail()));
      }
    }
    return b.toString();
  }

  /** {@link #blame(List, long)} for scripts: one object per unit, the unsettled last. */
  public static List<Map<String, Object>> blameJson(List<UnitStatus> units, long nowMillis) {
    List<Map<String, Object>> out = new ArrayList<>();
    finished(units).forEach(u -> out.add(row(u, u.settledMillis() - u.activatingMillis(), true)));
    unsettled(units).forEach(u -> out.add(row(u, u.state() == UnitState.ACTIVATING && u.activatingMillis() >= 0
        ? Math.max(0, nowMillis - u.activatingMillis()) : null, false)));
    return out;
  }

  private static Map<String, Object> row(UnitStatus u, Long millis, boolean settled) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("unit", u.name());
    m.put("millis", millis);
    m.put("state", u.state());
    m.put("settled", settled);
    m.put("detail", u.detail());
    return m;
  }

  private static List<UnitStatus> finished(List<UnitStatus> units) {
    return units.stream().filter(u -> u.activatingMillis() >= 0 && u.settledMillis() >= u.activatingMillis())
        .sorted(Comparator.comparingLong((UnitStatus u) -> u.settledMillis() - u.activatingMillis()).reversed()).toList();
  }

  /** Units not settled now: inactive, waiting, activating or stopping. */
  private static List<UnitStatus> unsettled(List<UnitStatus> units) {
    return units.stream().filter(u -> !u.state().settled()).toList();
  }

  /**
   * The critical chain of {@code unit} (default: the unit that settled last): each line is a unit
   * with the time it settled ({@code @}) and how long it took ({@code +}); below it, the
   * dependency that settled last before it started — the one that held it up.
   */
  public static String criticalChain(List<UnitStatus> units, String unit) {
    List<UnitStatus> chain = chain(units, unit);
    if (chain.isEmpty()) {
      return unit == null ? "no unit has settled yet\n" : "no unit named " + unit + "\n";
    }
    StringBuilder b = new StringBuilder("The time when unit became active or started is printed after the \"@\" character.\n"
        + "The time the unit took to start is printed after the \"+\" character.\n\n");
    String indent = "";
    for (int depth = 0; depth < chain.size(); depth++) {
      UnitStatus u = chain.get(depth);
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
      indent += depth == 0 ? "" : "  ";
    }
    return b.toString();
  }

  /** The units of the critical chain of {@code unit} (default: the last to settle), top first; empty when none. */
  public static List<UnitStatus> chain(List<UnitStatus> units, String unit) {
    Map<String, UnitStatus> byName = units.stream().collect(Collectors.toMap(UnitStatus::name, Function.identity()));
    Optional<UnitStatus> top = unit != null ? Optional.ofNullable(byName.get(unit))
        : units.stream().filter(u -> u.settledMillis() >= 0).max(Comparator.comparingLong(UnitStatus::settledMillis));
    List<UnitStatus> chain = new ArrayList<>();
    UnitStatus u = top.orElse(null);
    for (int depth = 0; u != null && depth < 32; depth++) {
      chain.add(u);
      u = heldUpBy(u, units);
    }
    return chain;
  }

  /** The dependency of {@code u} (a provider of what it requires, or a unit it is after) that settled last. */
  static UnitStatus heldUpBy(UnitStatus u, List<UnitStatus> units) {
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
