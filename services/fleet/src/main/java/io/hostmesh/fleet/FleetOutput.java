package io.hostmesh.fleet;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The files of a fleet report: {@code report.json} ({@link FleetReport}), {@code series.csv} (every
 * time series per bucket), {@code latency.csv}, and {@code report.html}: one self-contained page
 * whose plots are inline SVG drawn here (no script, no fetch), so it shows the same in any browser.
 */
public final class FleetOutput {
  private static final int W = 720;
  private static final int H = 220;
  private static final int PAD = 40;

  private FleetOutput() {}

  /** Writes the four files into {@code dir} (created); returns their paths. */
  @SuppressWarnings("unchecked")
  public static List<Path> write(Path dir, PartitionResult merged) throws IOException {
    Files.createDirectories(dir);
    FleetReport report = FleetReport.from(merged);
    List<Path> out = new ArrayList<>();
    out.add(report.writeJson(dir));
    Map<String, Object> tree = report.tree();
    Map<String, Object> series = (Map<String, Object>) tree.get("series");
    long bucket = ((Number) series.get("bucketSeconds")).longValue();
    Map<String, List<List<Long>>> events = (Map<String, List<List<Long>>>) series.get("events");
    Map<String, List<List<Long>>> levels = (Map<String, List<List<Long>>>) series.get("levels");
    out.add(write(dir.resolve("series.csv"), csv(events, levels)));
    StringBuilder lat = new StringBuilder("histogram,count,min_ms,p50_ms,p90_ms,p99_ms,max_ms\n");
    ((Map<String, Map<String, Object>>) tree.get("latency")).forEach((k, m) -> lat.append(k).append(',')
        .append(m.get("count")).append(',').append(m.get("min")).append(',').append(m.get("p50")).append(',')
        .append(m.get("p90")).append(',').append(m.get("p99")).append(',').append(m.get("max")).append('\n'));
    out.add(write(dir.resolve("latency.csv"), lat.toString()));
    out.add(write(dir.resolve("report.html"), html(tree, bucket, events, levels)));
    return out;
  }

  private static Path write(Path p, String text) throws IOException {
    Files.writeString(p, text, StandardCharsets.UTF_8);
    return p;
  }

  static String csv(Map<String, List<List<Long>>> events, Map<String, List<List<Long>>> levels) {
    TreeSet<Long> times = new TreeSet<>();
    Map<String, Map<Long, Long>> cols = new TreeMap<>();
    events.forEach((k, pts) -> {
      Map<Long, Long> m = new TreeMap<>();
      pts.forEach(p -> {
        m.put(p.get(0), p.get(1));
        times.add(p.get(0));
      });
      cols.put(k, m);
    });
    levels.forEach((k, pts) -> {
      Map<Long, Long> m = new TreeMap<>();
      pts.forEach(p -> {
        m.put(p.get(0), p.get(1));
        times.add(p.get(0));
      });
      cols.put(k + " (max)", m);
    });
    StringBuilder b = new StringBuilder("second");
    cols.keySet().forEach(k -> b.append(',').append(k));
    b.append('\n');
    for (long t : times) {
      b.append(t);
      cols.forEach((k, m) -> b.append(',').append(m.getOrDefault(t, k.endsWith("(max)") ? null : 0L) == null ? ""
          : m.getOrDefault(t, 0L)));
      b.append('\n');
    }
    return b.toString();
  }

  @SuppressWarnings("unchecked")
  static String html(Map<String, Object> tree, long bucket, Map<String, List<List<Long>>> events,
      Map<String, List<List<Long>>> levels) {
    Map<String, Object> fleet = (Map<String, Object>) tree.get("fleet");
    StringBuilder b = new StringBuilder();
    b.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>fleet report: ")
        .append(esc(String.valueOf(fleet.get("scenario")))).append("</title>\n<style>body{font:14px sans-serif;margin:2em;}"
            + "svg{border:1px solid #ccc;background:#fafafa;margin:0 0 1.5em 0}h2{font-size:16px}"
            + "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:2px 8px;text-align:right}</style></head><body>\n");
    b.append("<h1>fleet report: ").append(esc(String.valueOf(fleet.get("scenario")))).append("</h1>\n<p>")
        .append(esc(fleet.get("devices") + " devices, seed " + fleet.get("seed") + ", " + fleet.get("durationSeconds")
            + " virtual seconds, " + fleet.get("partitionsMerged") + " partition(s), buckets of " + bucket + " s"))
        .append("</p>\n");
    List<List<Long>> req = events.getOrDefault("https.requests", List.of());
    List<long[]> perSecond = new ArrayList<>();
    req.forEach(p -> perSecond.add(new long[] {p.get(0), p.get(1) / bucket}));
    plot(b, "requests-per-second", "Requests/s at the connectivity endpoint (bucket average)", perSecond);
    List<long[]> untrusted = new ArrayList<>();
    levels.getOrDefault("devicesWithoutTrustedClock", List.of()).forEach(p -> untrusted.add(new long[] {p.get(0), p.get(1)}));
    plot(b, "untrusted-clock", "Devices without a trusted clock (highest in each bucket)", untrusted);
    List<long[]> applied = new ArrayList<>();
    long sum = 0;
    for (List<Long> p : events.getOrDefault("config.applied", List.of())) {
      sum += p.get(1);
      applied.add(new long[] {p.get(0), sum});
    }
    plot(b, "config-convergence", "Config convergence: devices with the rolled-out config.json in force (cumulative)", applied);
    b.append("<h2>Time to time-set, HTTPS sync, NTP sync, config convergence (ms)</h2>\n");
    latency(b, (Map<String, Map<String, Object>>) tree.get("latency"));
    Map<String, Object> counters = (Map<String, Object>) tree.get("counters");
    b.append("<h2>HUP outcomes</h2>\n");
    Map<String, List<long[]>> hups = new TreeMap<>();
    events.forEach((k, pts) -> {
      if (k.startsWith("hup.")) {
        List<long[]> cumulative = new ArrayList<>();
        long n = 0;
        for (List<Long> p : pts) {
          n += p.get(1);
          cumulative.add(new long[] {p.get(0), n});
        }
        hups.put(k.substring(4), cumulative);
      }
    });
    if (!hups.isEmpty()) {
      multiPlot(b, "hup-outcomes", "HUP outcomes by kind over time (devices, cumulative; time from the update to its"
          + " outcome in the latency table as " + DeviceMeter.HUP_OUTCOME + ")", hups);
    } else {
      b.append("<p id=\"hup-none\">No host OS update outcomes in this run.</p>\n");
    }
    b.append("<h2>Counters</h2>\n<table id=\"counters\">");
    counters.forEach((k, v) -> b.append("<tr><th style=\"text-align:left\">").append(esc(k)).append("</th><td>").append(v)
        .append("</td></tr>"));
    b.append("</table>\n</body></html>\n");
    return b.toString();
  }

  private static void latency(StringBuilder b, Map<String, Map<String, Object>> lat) {
    int rows = Math.max(1, lat.size());
    long max = 1;
    for (Map<String, Object> m : lat.values()) {
      max = Math.max(max, ((Number) m.get("max")).longValue());
    }
    int h = 30 + rows * 70;
    b.append("<svg id=\"latency\" width=\"").append(W).append("\" height=\"").append(h)
        .append("\" xmlns=\"http://www.w3.org/2000/svg\">");
    int y = 20;
    String[] keys = {"p50", "p90", "p99", "max"};
    String[] colours = {"#4a90d9", "#2e6db3", "#1c4a80", "#999"};
    for (var e : lat.entrySet()) {
      b.append("<text x=\"4\" y=\"").append(y).append("\">").append(esc(e.getKey())).append(" (n=")
          .append(e.getValue().get("count")).append(")</text>");
      for (int i = 0; i < keys.length; i++) {
        long v = ((Number) e.getValue().get(keys[i])).longValue();
        int w = (int) Math.max(1, (W - 220) * v / max);
        int yy = y + 5 + i * 13;
        b.append("<rect class=\"bar\" data-value=\"").append(v).append("\" x=\"150\" y=\"").append(yy).append("\" width=\"")
            .append(w).append("\" height=\"11\" fill=\"").append(colours[i]).append("\"/>");
        b.append("<text x=\"110\" y=\"").append(yy + 10).append("\" font-size=\"10\">").append(keys[i]).append("</text>");
        b.append("<text x=\"").append(155 + w).append("\" y=\"").append(yy + 10).append("\" font-size=\"10\">").append(v)
            .append(" ms</text>");
      }
      y += 70;
    }
    b.append("</svg>\n");
  }

  /** A line plot of (second, value) points, axes labelled with the extremes. */
  static void plot(StringBuilder b, String id, String title, List<long[]> pts) {
    b.append("<h2>").append(esc(title)).append("</h2>\n");
    b.append("<svg id=\"").append(id).append("\" width=\"").append(W).append("\" height=\"").append(H)
        .append("\" xmlns=\"http://www.w3.org/2000/svg\" data-points=\"").append(pts.size()).append("\">");
    long maxX = 1;
    long maxY = 1;
    for (long[] p : pts) {
      maxX = Math.max(maxX, p[0]);
      maxY = Math.max(maxY, p[1]);
    }
    StringBuilder poly = new StringBuilder();
    for (long[] p : pts) {
      double x = PAD + (W - 2.0 * PAD) * p[0] / maxX;
      double y = H - PAD - (H - 2.0 * PAD) * p[1] / maxY;
      poly.append(String.format(Locale.ROOT, "%.1f,%.1f ", x, y));
    }
    axes(b, maxX, maxY);
    if (pts.isEmpty()) {
      b.append("<text x=\"").append(W / 2 - 30).append("\" y=\"").append(H / 2).append("\">no data</text>");
    } else {
      b.append("<polyline class=\"series\" fill=\"none\" stroke=\"#d9534f\" stroke-width=\"1.5\" points=\"")
          .append(poly.toString().trim()).append("\"/>");
    }
    b.append("</svg>\n");
  }

  /** The two axes of a plot with their end labels (seconds along x, the largest value up y). */
  private static void axes(StringBuilder b, long maxX, long maxY) {
    b.append("<line x1=\"").append(PAD).append("\" y1=\"").append(H - PAD).append("\" x2=\"").append(W - PAD)
        .append("\" y2=\"").append(H - PAD).append("\" stroke=\"#333\"/>");
    b.append("<line x1=\"").append(PAD).append("\" y1=\"").append(PAD).append("\" x2=\"").append(PAD).append("\" y2=\"")
        .append(H - PAD).append("\" stroke=\"#333\"/>");
    b.append("<text x=\"").append(PAD).append("\" y=\"").append(H - PAD + 15).append("\" font-size=\"10\">0 s</text>");
    b.append("<text x=\"").append(W - PAD - 30).append("\" y=\"").append(H - PAD + 15).append("\" font-size=\"10\">")
        .append(maxX).append(" s</text>");
    b.append("<text x=\"2\" y=\"").append(PAD).append("\" font-size=\"10\">").append(maxY).append("</text>");
  }

  private static final String[] COLOURS = {"#2e8b57", "#d9534f", "#f0ad4e", "#5bc0de", "#777"};

  /** Several line plots on shared axes, one polyline per series with a legend (HUP outcomes by kind). */
  static void multiPlot(StringBuilder b, String id, String title, Map<String, List<long[]>> series) {
    b.append("<h2>").append(esc(title)).append("</h2>\n");
    long maxX = 1;
    long maxY = 1;
    int points = 0;
    for (List<long[]> pts : series.values()) {
      for (long[] p : pts) {
        maxX = Math.max(maxX, p[0]);
        maxY = Math.max(maxY, p[1]);
      }
      points += pts.size();
    }
    b.append("<svg id=\"").append(id).append("\" width=\"").append(W).append("\" height=\"").append(H)
        .append("\" xmlns=\"http://www.w3.org/2000/svg\" data-points=\"").append(points).append("\">");
    axes(b, maxX, maxY);
    int i = 0;
    for (Map.Entry<String, List<long[]>> e : series.entrySet()) {
      String colour = COLOURS[i % COLOURS.length];
      StringBuilder poly = new StringBuilder();
      long last = 0;
      for (long[] p : e.getValue()) {
        double x = PAD + (W - 2.0 * PAD) * p[0] / maxX;
        double y = H - PAD - (H - 2.0 * PAD) * p[1] / maxY;
        poly.append(String.format(Locale.ROOT, "%.1f,%.1f ", x, y));
        last = p[1];
      }
      b.append("<polyline class=\"series\" data-kind=\"").append(esc(e.getKey())).append("\" fill=\"none\" stroke=\"")
          .append(colour).append("\" stroke-width=\"1.5\" points=\"").append(poly.toString().trim()).append("\"/>");
      b.append("<text class=\"legend\" x=\"").append(PAD + 10).append("\" y=\"").append(PAD + 12 * i).append("\" fill=\"")
          .append(colour).append("\" font-size=\"11\">").append(esc(e.getKey())).append(": ").append(last).append("</text>");
      i++;
    }
    b.append("</svg>\n");
  }

  private static String esc(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }
}
