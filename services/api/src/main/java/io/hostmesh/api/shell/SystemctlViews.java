package io.hostmesh.api.shell;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code systemctl show} and {@code systemctl list-units} over SSH: what they print about the
 * mesh's units under their balenaOS names, as systemd 250 prints it. Read-only; {@link Systemctl}
 * parses the command line.
 */
final class SystemctlViews {
  /** {@code show}'s properties, in the order a plain {@code show} prints them. */
  static final List<String> PROPERTIES = List.of("Id", "Names", "Description", "Type", "LoadState", "ActiveState",
      "SubState", "Result", "UnitFileState", "NRestarts", "StatusText", "ActiveEnterTimestamp");

  private SystemctlViews() {}

  /**
   * {@code systemctl show [UNIT...] [-p P,...] [--value]}; without a unit, the manager's
   * {@code Version} and {@code SystemState} ({@code systemState}).
   */
  static ShellOutput show(ShellDevice device, List<String> names, List<String> properties, boolean value,
      String systemState) {
    if (names.isEmpty()) {
      return ShellOutput.out(value ? "" : "Version=250 (hostmesh)\nSystemState=" + systemState + "\n");
    }
    StringBuilder out = new StringBuilder();
    List<String> props = properties.isEmpty() ? PROPERTIES : properties;
    for (String name : names) {
      if (!out.isEmpty()) {
        out.append('\n');
      }
      Optional<SystemdUnit> u = device.find(name).flatMap(device::unit);
      for (String p : props) {
        String v = u.isPresent() ? property(u.get(), p) : missing(name, p);
        if (v == null) {
          continue; // a property this emulation does not have: systemd prints nothing for an unknown one too
        }
        out.append(value ? v : p + "=" + v).append('\n');
      }
    }
    return ShellOutput.out(out.toString());
  }

  /** A unit systemd does not know is shown as not found. */
  private static String missing(String name, String p) {
    return switch (p) {
      case "Id", "Names" -> UnitNames.canonical(name);
      case "LoadState" -> "not-found";
      case "ActiveState" -> "inactive";
      case "SubState" -> "dead";
      case "Result" -> "success";
      case "UnitFileState", "Description", "StatusText", "ActiveEnterTimestamp" -> "";
      case "NRestarts" -> "0";
      default -> null;
    };
  }

  private static String property(SystemdUnit u, String p) {
    return switch (p) {
      case "Id", "Names" -> u.entry().name();
      case "Description" -> u.status().description();
      case "Type" -> u.type();
      case "LoadState" -> u.loadState();
      case "ActiveState" -> u.activeState();
      case "SubState" -> u.subState();
      case "Result" -> u.result();
      case "UnitFileState" -> u.unitFileState();
      case "NRestarts" -> Integer.toString(u.status().restarts());
      case "StatusText" -> u.statusText();
      case "ActiveEnterTimestamp" -> u.active() && u.since() != null ? ShellFormat.timestamp(u.since()) : "";
      default -> null;
    };
  }

  /**
   * {@code systemctl list-units [PATTERN...] [--type=T] [--state=S] [--all] [--no-legend] [--plain]}:
   * the units whose name matches a pattern, of those types and states (by default those not
   * inactive, or every one with {@code all}).
   */
  static ShellOutput listUnits(ShellDevice device, List<String> patternList, List<String> types, List<String> states,
      boolean all, boolean legend, boolean plain) {
    List<SystemdUnit> shown = new ArrayList<>();
    for (SystemdUnit u : device.units()) {
      boolean patterns = patternList.isEmpty() || patternList.stream().anyMatch(p -> glob(p, u.entry().name()));
      boolean type = types.isEmpty() || types.contains(u.entry().type());
      boolean state = states.isEmpty() ? all || !u.activeState().equals("inactive")
          : states.contains(u.activeState()) || states.contains(u.subState()) || states.contains(u.loadState());
      if (patterns && type && state) {
        shown.add(u);
      }
    }
    int width = Math.max(4, shown.stream().mapToInt(u -> u.entry().name().length()).max().orElse(4));
    StringBuilder b = new StringBuilder();
    String row = "%s%-" + width + "s %-6s %-8s %-9s %s%n";
    if (legend) {
      b.append(String.format(row, "  ", "UNIT", "LOAD", "ACTIVE", "SUB", "DESCRIPTION"));
    }
    for (SystemdUnit u : shown) {
      b.append(String.format(row, plain ? "" : u.failed() ? "● " : "  ", u.entry().name(), u.loadState(),
          u.activeState(), u.subState(), u.status().description()));
    }
    if (legend) {
      b.append("\nLOAD   = Reflects whether the unit definition was properly loaded.\n")
          .append("ACTIVE = The high-level unit activation state, i.e. generalization of SUB.\n")
          .append("SUB    = The low-level unit activation state, values depend on unit type.\n")
          .append(shown.size()).append(" loaded units listed.")
          .append(all ? "\n" : " Pass --all to see loaded but inactive units, too.\n");
    }
    return ShellOutput.out(b.toString());
  }

  /** systemctl's patterns: shell globs ({@code *}, {@code ?}) on the unit name. */
  static boolean glob(String pattern, String name) {
    String p = pattern.contains(".") || pattern.contains("*") ? pattern : pattern + ".service";
    StringBuilder re = new StringBuilder();
    for (char c : p.toCharArray()) {
      re.append(c == '*' ? ".*" : c == '?' ? "." : java.util.regex.Pattern.quote(String.valueOf(c)));
    }
    return name.matches(re.toString());
  }
}
