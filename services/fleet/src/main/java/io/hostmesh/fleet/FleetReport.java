package io.hostmesh.fleet;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import org.HdrHistogram.Histogram;

/**
 * The fleet report made from a merged {@link PartitionResult}: what {@code report.json} holds, as
 * a tree of maps, lists, strings and integers only, encoded by {@link Canonical} (sorted keys, no
 * floating point, no wall-clock value), so the same merged result always gives the same bytes,
 * whatever order its partitions were merged in.
 *
 * <ul>
 *   <li>{@code fleet}: the header (scenario name, seed, devices, virtual seconds, bucket width) and
 *       the number of partitions;
 *   <li>{@code counters}: the totals;
 *   <li>{@code latency}: per histogram count, min, p50, p90, p99 and max in milliseconds;
 *   <li>{@code series}: per event kind the count in each bucket ({@code [startSecond, count]},
 *       buckets with none left out) and the busiest single second; per level the highest value
 *       within each bucket, for every bucket of the run.
 * </ul>
 */
public final class FleetReport {
  /** Default bucket width of the time series when the header has none. */
  public static final long DEFAULT_BUCKET_SECONDS = 60;

  private final Map<String, Object> tree;

  private FleetReport(Map<String, Object> tree) {
    this.tree = tree;
  }

  public static FleetReport from(PartitionResult merged) {
    Map<String, Object> root = new TreeMap<>();
    SortedMap<String, String> header = merged.header();
    Map<String, Object> fleet = new TreeMap<>(header);
    fleet.put("partitionsMerged", merged.partitions().size());
    root.put("fleet", fleet);
    root.put("counters", new TreeMap<>(merged.counters()));
    Map<String, Object> latency = new TreeMap<>();
    merged.histograms().forEach((k, h) -> latency.put(k, summary(h)));
    root.put("latency", latency);
    long bucket = Math.max(1, parse(header.get("bucketSeconds"), DEFAULT_BUCKET_SECONDS));
    long duration = Math.max(0, parse(header.get("durationSeconds"), 0));
    Map<String, Object> series = new TreeMap<>();
    series.put("bucketSeconds", bucket);
    Map<String, Object> events = new TreeMap<>();
    Map<String, Object> peaks = new TreeMap<>();
    merged.events().forEach((k, s) -> {
      events.put(k, eventBuckets(s, bucket));
      Map.Entry<Long, Long> peak = null;
      for (Map.Entry<Long, Long> e : s.entrySet()) {
        if (peak == null || e.getValue() > peak.getValue()) {
          peak = e;
        }
      }
      peaks.put(k, peak == null ? List.of() : List.of(peak.getKey(), peak.getValue()));
    });
    series.put("events", events);
    series.put("peakPerSecond", peaks);
    Map<String, Object> levels = new TreeMap<>();
    merged.levels().forEach((k, s) -> levels.put(k, levelBuckets(s, bucket, duration)));
    series.put("levels", levels);
    root.put("series", series);
    return new FleetReport(root);
  }

  /** The report as a tree (maps, lists, strings, integers). */
  public Map<String, Object> tree() {
    return tree;
  }

  /** report.json's bytes. */
  public byte[] json() {
    return Canonical.bytes(tree);
  }

  /** Writes {@code report.json} into {@code dir} (created if missing). */
  public Path writeJson(Path dir) throws IOException {
    Files.createDirectories(dir);
    Path p = dir.resolve("report.json");
    Files.write(p, json());
    return p;
  }

  static Map<String, Object> summary(Histogram h) {
    Map<String, Object> m = new LinkedHashMap<>();
    long n = h.getTotalCount();
    m.put("count", n);
    m.put("min", n == 0 ? 0 : h.getMinValue());
    m.put("p50", n == 0 ? 0 : h.getValueAtPercentile(50));
    m.put("p90", n == 0 ? 0 : h.getValueAtPercentile(90));
    m.put("p99", n == 0 ? 0 : h.getValueAtPercentile(99));
    m.put("max", n == 0 ? 0 : h.getMaxValue());
    return m;
  }

  /** {@code [bucketStartSecond, count]} for every bucket with something in it. */
  static List<List<Long>> eventBuckets(SortedMap<Long, Long> perSecond, long bucket) {
    SortedMap<Long, Long> b = new TreeMap<>();
    perSecond.forEach((sec, n) -> b.merge(Math.floorDiv(sec, bucket) * bucket, n, Long::sum));
    List<List<Long>> out = new ArrayList<>();
    b.forEach((t, n) -> out.add(List.of(t, n)));
    return out;
  }

  /**
   * {@code [bucketStartSecond, highest level within the bucket]} for every bucket from 0 to the
   * end of the run (or the last change), the level being the running sum of the changes.
   */
  static List<List<Long>> levelBuckets(SortedMap<Long, Long> changes, long bucket, long duration) {
    long end = Math.max(duration, changes.isEmpty() ? 0 : changes.lastKey() + 1);
    List<List<Long>> out = new ArrayList<>();
    long level = 0;
    var it = changes.entrySet().iterator();
    Map.Entry<Long, Long> next = it.hasNext() ? it.next() : null;
    // changes before 0 (none expected) count from the start
    for (long start = 0; start < end; start += bucket) {
      long max = level;
      while (next != null && next.getKey() < start + bucket) {
        level += next.getValue();
        max = Math.max(max, level);
        next = it.hasNext() ? it.next() : null;
      }
      out.add(List.of(start, max));
    }
    return out;
  }

  private static long parse(String s, long dflt) {
    try {
      return s == null ? dflt : Long.parseLong(s);
    } catch (NumberFormatException e) {
      return dflt;
    }
  }
}
