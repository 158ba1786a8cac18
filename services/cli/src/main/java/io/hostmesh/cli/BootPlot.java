package io.hostmesh.cli;

import io.hostmesh.mesh.UnitStatus;
import io.hostmesh.schema.unit.UnitState;
import io.hostmesh.schema.unit.UnitStateChanged;
import java.util.List;

/**
 * {@code hostmesh analyze plot}: the boot timeline as SVG, after {@code systemd-analyze plot}. On
 * a boot still under way the picture runs up to now: units still waiting or activating have
 * their bar drawn to the right edge. Every kind of mark drawn is named in the legend.
 */
public final class BootPlot {
  private static final int ROW = 22;
  private static final int LEFT = 220;
  private static final int WIDTH = 900;
  private static final int TOP = 76;

  /** Every mark the plot draws, with its legend text. */
  enum Mark {
    WAITING("#dbe8f6", "waiting for requirements"),
    ACTIVATING("#3b6ea8", "activating"),
    UP("#2e8b57", "active / exited"),
    SKIPPED("#aaaaaa", "skipped (condition false)"),
    FAILED("#c0392b", "failed"),
    NOT_SETTLED("#e0a030", "not settled yet (now)");

    final String color;
    final String label;

    Mark(String color, String label) {
      this.color = color;
      this.label = label;
    }
  }

  private BootPlot() {}

  /** The plot up to the last state change. */
  public static String svg(List<UnitStatus> units, List<UnitStateChanged> timeline) {
    return svg(units, timeline, -1);
  }

  /** The plot up to {@code nowMillis} (mesh uptime) or the last state change, whichever is later. */
  public static String svg(List<UnitStatus> units, List<UnitStateChanged> timeline, long nowMillis) {
    long end = Math.max(1, Math.max(nowMillis, timeline.stream().mapToLong(UnitStateChanged::uptimeMillis).max().orElse(1)));
    double scale = (WIDTH - LEFT - 20) / (double) end;
    int height = TOP + units.size() * ROW + 30;
    StringBuilder s = new StringBuilder();
    s.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")
        .append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(WIDTH).append("\" height=\"").append(height)
        .append("\" font-family=\"sans-serif\" font-size=\"12\">\n")
        .append("<rect class=\"background\" width=\"100%\" height=\"100%\" fill=\"white\"/>\n")
        .append("<text x=\"10\" y=\"20\" font-size=\"16\">hostmesh boot timeline (").append(BootAnalysis.ms(end))
        .append(nowMillis >= 0 && units.stream().anyMatch(u -> !u.state().settled()) ? ", not finished" : "")
        .append(")</text>\n");
    legend(s);
    for (int t = 0; t <= 10; t++) {
      double x = LEFT + t * (WIDTH - LEFT - 20) / 10.0;
      s.append(String.format("<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#eee\"/>%n", x, TOP - 6, x, height - 25));
      s.append(String.format("<text x=\"%.1f\" y=\"%d\" fill=\"#666\" text-anchor=\"middle\">%s</text>%n", x, height - 10,
          BootAnalysis.ms(end * t / 10)));
    }
    int row = 0;
    for (UnitStatus u : units) {
      int y = TOP + row++ * ROW;
      s.append(String.format("<text x=\"10\" y=\"%d\">%s</text>%n", y + 14, escape(u.name() + " (" + u.state().label() + ")")));
      if (u.state() == UnitState.DISABLED) {
        continue; // never started: nothing to draw
      }
      long act = u.activatingMillis();
      boolean waitingNow = u.state() == UnitState.WAITING;
      long waitFrom = waitStart(timeline, u.name(), waitingNow);
      if (waitFrom >= 0) {
        long waitEnd = waitingNow ? end : act;
        bar(s, LEFT + waitFrom * scale, y, Math.max(2, (waitEnd - waitFrom) * scale), Mark.WAITING);
      }
      boolean settled = u.state().settled() && u.settledMillis() >= 0;
      if (act >= 0 && !waitingNow) {
        long actEnd = settled && u.settledMillis() >= act ? u.settledMillis() : end;
        bar(s, LEFT + act * scale, y, Math.max(2, (actEnd - act) * scale), Mark.ACTIVATING);
      }
      Mark last = switch (u.state()) {
        case FAILED -> Mark.FAILED;
        case SKIPPED -> Mark.SKIPPED;
        case ACTIVE, EXITED -> Mark.UP;
        default -> Mark.NOT_SETTLED;
      };
      bar(s, LEFT + (last == Mark.NOT_SETTLED ? end : u.settledMillis()) * scale, y, 4, last);
    }
    return s.append("</svg>\n").toString();
  }

  private static void legend(StringBuilder s) {
    int x = 10;
    for (Mark m : Mark.values()) {
      s.append(String.format("<rect class=\"legend\" x=\"%d\" y=\"32\" width=\"12\" height=\"12\" fill=\"%s\"/>%n", x, m.color));
      s.append(String.format("<text class=\"legend\" x=\"%d\" y=\"42\" fill=\"#444\">%s</text>%n", x + 16, m.label));
      x += 16 + m.label.length() * 6 + 14;
    }
  }

  /**
   * When the unit began the wait drawn: the one going on now ({@code waitingNow}), else the one
   * that ended in its last activation (a restarted unit may wait again); -1 for none.
   */
  private static long waitStart(List<UnitStateChanged> timeline, String unit, boolean waitingNow) {
    long current = -1;
    long beforeActivation = -1;
    for (UnitStateChanged c : timeline) {
      if (!c.unit().equals(unit)) {
        continue;
      }
      if (c.state() == UnitState.WAITING) {
        current = current < 0 ? c.uptimeMillis() : current;
      } else {
        beforeActivation = c.state() == UnitState.ACTIVATING ? current : beforeActivation;
        current = -1;
      }
    }
    return waitingNow ? current : beforeActivation;
  }

  private static void bar(StringBuilder s, double x, int y, double w, Mark m) {
    s.append(String.format("<rect class=\"mark\" x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"16\" fill=\"%s\"/>%n", x, y + 2, w, m.color));
  }

  private static String escape(String t) {
    return t.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }
}
