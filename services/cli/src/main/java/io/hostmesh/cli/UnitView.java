package io.hostmesh.cli;

import io.hostmesh.mesh.JournalEntry;
import io.hostmesh.mesh.UnitResult;
import io.hostmesh.mesh.UnitStatus;
import io.hostmesh.schema.unit.UnitState;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;

/** One unit as {@code systemctl status UNIT} shows it, and journal lines as {@code journalctl} does. */
final class UnitView {
  private static final DateTimeFormatter SINCE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'").withZone(ZoneOffset.UTC);

  private UnitView() {}

  /**
   * The unit with its state ({@code active (running)} as systemd words it), since when (device
   * time) and how long ago (mesh uptime, so a clock step in between does not distort it), what it
   * requires, is after and provides, and its last log lines.
   */
  static String render(UnitStatus u, long nowUptimeMillis, List<JournalEntry> logs) {
    StringBuilder b = new StringBuilder();
    b.append(u.state() == UnitState.FAILED ? "×" : "●").append(' ').append(u.name());
    if (!u.description().isEmpty()) {
      b.append(" - ").append(u.description());
    }
    b.append('\n');
    row(b, "Loaded", (u.state() == UnitState.DISABLED ? "disabled" : "enabled") + "; " + u.type());
    String active = active(u);
    if (u.since() != null) {
      active += " since " + SINCE.format(u.since()) + "; " + ago(Math.max(0, nowUptimeMillis - u.sinceMillis())) + " ago";
    }
    row(b, "Active", active);
    if (!u.detail().isEmpty()) {
      row(b, u.state() == UnitState.SKIPPED ? "Condition" : "Detail", u.detail());
    }
    row(b, "Requires", u.requires().isEmpty() ? "-" : String.join(", ", u.requires()));
    if (!u.after().isEmpty()) {
      row(b, "After", String.join(", ", u.after()));
    }
    if (!u.provides().isEmpty()) {
      row(b, "Provides", String.join(", ", u.provides()));
    }
    row(b, "Restarts", Integer.toString(u.restarts()));
    if (!logs.isEmpty()) {
      b.append('\n');
      logs.forEach(l -> b.append(line(l)).append('\n'));
    }
    return b.toString();
  }

  /** systemd's words for the state: {@code active (running)}, {@code active (exited)}, {@code failed (Result: exit-code)}. */
  static String active(UnitStatus u) {
    return switch (u.state()) {
      case ACTIVE -> "active (running)";
      case EXITED -> "active (exited)";
      case ACTIVATING -> "activating (start)";
      case DEACTIVATING -> "deactivating (stop)";
      case WAITING -> "inactive (waiting)";
      case FAILED -> "failed (Result: " + (u.result() == null ? UnitResult.EXIT_CODE : u.result()).label() + ")";
      case SKIPPED, INACTIVE, DISABLED -> "inactive (dead)";
    };
  }

  /** One journal line: {@code 2030-01-01T00:00:05.123Z chronyd[INFO]: message}. */
  static String line(JournalEntry e) {
    return e.wallTime() + " " + e.unit() + "[" + e.level() + "]: " + e.message();
  }

  /** A duration as systemd prints one: {@code 2min 3s}, {@code 1h 5min}, {@code 345ms}. */
  static String ago(long millis) {
    if (millis < 1000) {
      return millis + "ms";
    }
    long s = millis / 1000;
    long d = s / 86_400;
    long h = s / 3600 % 24;
    long m = s / 60 % 60;
    long sec = s % 60;
    if (d > 0) {
      return d + "d " + h + "h";
    }
    if (h > 0) {
      return h + "h " + m + "min";
    }
    return m > 0 ? m + "min " + sec + "s" : sec + "s";
  }

  private static void row(StringBuilder b, String label, String value) {
    b.append(String.format("%11s: %s%n", label, value));
  }
}
