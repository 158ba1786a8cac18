package io.hostmesh.cli;

import io.hostmesh.mesh.UnitStatus;
import io.hostmesh.schema.unit.UnitState;
import io.hostmesh.schema.unit.UnitStateChanged;
import java.util.List;

/** {@code hostmesh analyze plot}: the boot timeline as SVG, after {@code systemd-analyze plot}. */
public final class BootPlot {
  private static final int ROW = 22;
  private static final int LEFT = 220;
  private static final int WIDTH = 900;

  private BootPlot() {}

  public static String svg(List<UnitStatus> units, List<UnitStateChanged> timeline) {
    long end = Math.max(1, timeline.stream().mapToLong(UnitStateChanged::uptimeMillis).max().orElse(1));
    double scale = (WIDTH - LEFT - 20) / (double) end;
    int height = 60 + units.size() * ROW + 30;
    StringBuilder s = new StringBuilder();
    s.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")
        .append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(WIDTH).append("\" height=\"").append(height)
        .append("\" font-family=\"sans-serif\" font-size=\"12\">\n")
        .append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n")
        .append("<text x=\"10\" y=\"20\" font-size=\"16\">hostmesh boot timeline (").append(BootAnalysis.ms(end)).append(")</text>\n")
        .append("<text x=\"10\" y=\"38\" fill=\"#666\">light: waiting for requirements · dark: activating · ")
        .append("green exited/active · grey skipped · red failed</text>\n");
    for (int t = 0; t <= 10; t++) {
      double x = LEFT + t * (WIDTH - LEFT - 20) / 10.0;
      s.append(String.format("<line x1=\"%.1f\" y1=\"50\" x2=\"%.1f\" y2=\"%d\" stroke=\"#eee\"/>%n", x, x, height - 25));
      s.append(String.format("<text x=\"%.1f\" y=\"%d\" fill=\"#666\" text-anchor=\"middle\">%s</text>%n", x, height - 10,
          BootAnalysis.ms(end * t / 10)));
    }
    int row = 0;
    for (UnitStatus u : units) {
      int y = 56 + row++ * ROW;
      long waitFrom = firstMillis(timeline, u.name(), UnitState.WAITING);
      long act = u.activatingMillis();
      long settled = u.settledMillis() >= 0 ? u.settledMillis() : end;
      if (waitFrom >= 0 && act >= waitFrom) {
        bar(s, LEFT + waitFrom * scale, y, (act - waitFrom) * scale, "#dbe8f6");
      }
      if (act >= 0) {
        bar(s, LEFT + act * scale, y, Math.max(2, (settled - act) * scale), "#3b6ea8");
      }
      String end_color = switch (u.state()) {
        case FAILED -> "#c0392b";
        case SKIPPED -> "#aaaaaa";
        case ACTIVE, EXITED -> "#2e8b57";
        default -> "#e0a030";
      };
      bar(s, LEFT + settled * scale, y, 4, end_color);
      s.append(String.format("<text x=\"10\" y=\"%d\">%s</text>%n", y + 14, escape(u.name() + " (" + u.state().label() + ")")));
    }
    return s.append("</svg>\n").toString();
  }

  private static long firstMillis(List<UnitStateChanged> timeline, String unit, UnitState state) {
    return timeline.stream().filter(c -> c.unit().equals(unit) && c.state() == state)
        .mapToLong(UnitStateChanged::uptimeMillis).findFirst().orElse(-1);
  }

  private static void bar(StringBuilder s, double x, int y, double w, String color) {
    s.append(String.format("<rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"16\" fill=\"%s\"/>%n", x, y + 2, w, color));
  }

  private static String escape(String t) {
    return t.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }
}
