package io.hostmesh.fleet;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.zip.DataFormatException;
import org.HdrHistogram.Histogram;

/**
 * What one partition (or several, merged) measured, in a form that merges without the samples:
 * latency distributions as HdrHistograms, and per-second time series as sparse maps of counts.
 *
 * <ul>
 *   <li>{@link #count counters}: totals ({@code https.result.synchronised}, {@code boots}, ...);
 *   <li>{@link #record histograms}: milliseconds, 3 significant digits;
 *   <li>{@link #event events}: how many things happened in each virtual second (HTTPS requests
 *       reaching the endpoint, HUP outcomes by kind, configs applied);
 *   <li>{@link #level levels}: a number of devices in some state (without a trusted clock, up, a
 *       clock more than a day off), kept as +1/-1 changes per second, so the level at second
 *       {@code s} is the sum of the changes up to {@code s} and partitions add up.
 * </ul>
 *
 * <p>{@link #merge} is associative and commutative (sums and histogram additions); the partitions
 * merged must be disjoint, and their headers (scenario name, seed, fleet size) equal. Lossless
 * JSON ({@link #toJson}/{@link #fromJson}) and bytes for shipping between JVMs.
 *
 * <p>Threading: not thread-safe; a partition fills it on its own event loop, then hands it over.
 */
public final class PartitionResult {
  public static final String TIME_TO_TIME_SET = "timeToTimeSetMs";
  public static final String HTTPS_SYNC = "httpsSyncMs";
  public static final String NTP_SYNC = "ntpSyncMs";
  public static final String CONFIG_CONVERGENCE = "configConvergenceMs";

  private static final int DIGITS = 3;

  private final SortedMap<String, String> header = new TreeMap<>();
  private final SortedSet<Integer> partitions = new TreeSet<>();
  private final SortedMap<String, Long> counters = new TreeMap<>();
  private final SortedMap<String, Histogram> histograms = new TreeMap<>();
  private final SortedMap<String, SortedMap<Long, Long>> events = new TreeMap<>();
  private final SortedMap<String, SortedMap<Long, Long>> levels = new TreeMap<>();

  /** An empty result of one partition. */
  public PartitionResult(int partition, Map<String, String> header) {
    this.partitions.add(partition);
    this.header.putAll(header);
  }

  private PartitionResult() {}

  /** Adds {@code n} to a counter. */
  public void count(String name, long n) {
    counters.merge(name, n, Long::sum);
  }

  /** Records a duration in milliseconds (negative values are recorded as 0). */
  public void record(String histogram, long millis) {
    histograms.computeIfAbsent(histogram, k -> new Histogram(DIGITS)).recordValue(Math.max(0, millis));
  }

  /** {@code n} things of a kind happened in virtual second {@code second}. */
  public void event(String name, long second, long n) {
    events.computeIfAbsent(name, k -> new TreeMap<>()).merge(second, n, Long::sum);
  }

  /** The number of devices in a state changed by {@code delta} in second {@code second}. */
  public void level(String name, long second, long delta) {
    SortedMap<Long, Long> m = levels.computeIfAbsent(name, k -> new TreeMap<>());
    long v = m.getOrDefault(second, 0L) + delta;
    if (v == 0) {
      m.remove(second);
    } else {
      m.put(second, v);
    }
  }

  public SortedMap<String, String> header() {
    return java.util.Collections.unmodifiableSortedMap(header);
  }

  public SortedSet<Integer> partitions() {
    return java.util.Collections.unmodifiableSortedSet(partitions);
  }

  public SortedMap<String, Long> counters() {
    return java.util.Collections.unmodifiableSortedMap(counters);
  }

  public long counter(String name) {
    return counters.getOrDefault(name, 0L);
  }

  /** A copy of a histogram (empty when nothing was recorded). */
  public Histogram histogram(String name) {
    Histogram h = histograms.get(name);
    return h == null ? new Histogram(DIGITS) : h.copy();
  }

  public SortedMap<String, Histogram> histograms() {
    SortedMap<String, Histogram> out = new TreeMap<>();
    histograms.forEach((k, v) -> out.put(k, v.copy()));
    return out;
  }

  public SortedMap<String, SortedMap<Long, Long>> events() {
    return copy(events);
  }

  public SortedMap<String, SortedMap<Long, Long>> levels() {
    return copy(levels);
  }

  /** A deep copy (to hand to another thread while this one is still being filled). */
  public PartitionResult copy() {
    return fromJson(toJson());
  }

  /** The merge of two results of disjoint partitions of the same fleet; neither is changed. */
  public static PartitionResult merge(PartitionResult a, PartitionResult b) {
    if (!a.header.equals(b.header)) {
      throw new IllegalArgumentException("results of different fleets: " + a.header + " and " + b.header);
    }
    SortedSet<Integer> both = new TreeSet<>(a.partitions);
    both.retainAll(b.partitions);
    if (!both.isEmpty()) {
      throw new IllegalArgumentException("partition " + both.first() + " is in both results");
    }
    PartitionResult m = new PartitionResult();
    for (PartitionResult r : new PartitionResult[] {a, b}) {
      m.header.putAll(r.header);
      m.partitions.addAll(r.partitions);
      r.counters.forEach(m::count);
      r.histograms.forEach((k, h) -> m.histograms.computeIfAbsent(k, x -> new Histogram(DIGITS)).add(h));
      r.events.forEach((k, s) -> s.forEach((sec, n) -> m.event(k, sec, n)));
      r.levels.forEach((k, s) -> s.forEach((sec, n) -> m.level(k, sec, n)));
    }
    return m;
  }

  /** Lossless JSON: histograms as base64 of HdrHistogram's compressed encoding. */
  public JsonObject toJson() {
    JsonObject h = new JsonObject();
    histograms.forEach((k, v) -> {
      ByteBuffer buf = ByteBuffer.allocate(v.getNeededByteBufferCapacity());
      int len = v.encodeIntoCompressedByteBuffer(buf);
      h.put(k, Base64.getEncoder().encodeToString(java.util.Arrays.copyOf(buf.array(), len)));
    });
    return new JsonObject()
        .put("header", new JsonObject(new TreeMap<>(header)))
        .put("partitions", new JsonArray(partitions.stream().map(Object.class::cast).toList()))
        .put("counters", new JsonObject(new TreeMap<>(counters)))
        .put("histograms", h)
        .put("events", series(events))
        .put("levels", series(levels));
  }

  public static PartitionResult fromJson(JsonObject j) {
    PartitionResult r = new PartitionResult();
    j.getJsonObject("header").forEach(e -> r.header.put(e.getKey(), (String) e.getValue()));
    j.getJsonArray("partitions").forEach(p -> r.partitions.add(((Number) p).intValue()));
    j.getJsonObject("counters").forEach(e -> r.counters.put(e.getKey(), ((Number) e.getValue()).longValue()));
    j.getJsonObject("histograms").forEach(e -> {
      byte[] bytes = Base64.getDecoder().decode((String) e.getValue());
      try {
        Histogram h = Histogram.decodeFromCompressedByteBuffer(ByteBuffer.wrap(bytes), 0);
        h.setAutoResize(true);
        r.histograms.put(e.getKey(), h);
      } catch (DataFormatException x) {
        throw new IllegalArgumentException("histogram " + e.getKey() + " is not an HdrHistogram: " + x.getMessage(), x);
      }
    });
    unseries(j.getJsonObject("events"), r.events);
    unseries(j.getJsonObject("levels"), r.levels);
    return r;
  }

  public byte[] toBytes() {
    return toJson().encode().getBytes(StandardCharsets.UTF_8);
  }

  public static PartitionResult fromBytes(byte[] bytes) {
    return fromJson(new JsonObject(new String(bytes, StandardCharsets.UTF_8)));
  }

  /** Same partitions, header, counters, series and histogram counts. */
  @Override
  public boolean equals(Object o) {
    return o instanceof PartitionResult r && header.equals(r.header) && partitions.equals(r.partitions)
        && counters.equals(r.counters) && events.equals(r.events) && levels.equals(r.levels)
        && histograms.equals(r.histograms);
  }

  @Override
  public int hashCode() {
    return Objects.hash(header, partitions, counters, events, levels);
  }

  @Override
  public String toString() {
    return "PartitionResult" + partitions + counters;
  }

  private static JsonObject series(SortedMap<String, SortedMap<Long, Long>> s) {
    JsonObject o = new JsonObject();
    s.forEach((k, v) -> {
      JsonArray points = new JsonArray();
      v.forEach((sec, n) -> points.add(new JsonArray().add(sec).add(n)));
      o.put(k, points);
    });
    return o;
  }

  private static void unseries(JsonObject o, SortedMap<String, SortedMap<Long, Long>> into) {
    o.forEach(e -> {
      SortedMap<Long, Long> m = new TreeMap<>();
      for (Object p : (JsonArray) e.getValue()) {
        JsonArray a = (JsonArray) p;
        m.put(a.getLong(0), a.getLong(1));
      }
      into.put(e.getKey(), m);
    });
  }

  private static SortedMap<String, SortedMap<Long, Long>> copy(SortedMap<String, SortedMap<Long, Long>> s) {
    SortedMap<String, SortedMap<Long, Long>> out = new TreeMap<>();
    s.forEach((k, v) -> out.put(k, new TreeMap<>(v)));
    return out;
  }
}
