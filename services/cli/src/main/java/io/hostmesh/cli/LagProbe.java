package io.hostmesh.cli;

import io.hostmesh.mesh.EventLoopLag;
import io.vertx.core.Vertx;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAccumulator;

/**
 * The mesh runner's event-loop lag probe ({@code vertx.lagProbeMs}; off at 0): its samples go to
 * {@code /metrics} through the API, and the largest one to the line printed when a device with
 * {@code --exit-when-ready} has settled.
 */
final class LagProbe {
  private final EventLoopLag probe;
  private final LongAccumulator max = new LongAccumulator(Math::max, 0);
  private final AtomicLong samples = new AtomicLong();
  /**
   * Counts by lag, for the p99 of the summary line: 0.25 ms wide up to 50 ms, 5 ms wide up to 1 s,
   * then one bucket (1.6 KB, no per-sample storage on a device that may run for months).
   */
  private final java.util.concurrent.atomic.AtomicIntegerArray buckets = new java.util.concurrent.atomic.AtomicIntegerArray(391);

  private LagProbe(EventLoopLag probe) {
    this.probe = probe;
    if (probe != null) {
      probe.addListener((loop, nanos) -> record(nanos));
    }
  }

  /** One late firing of the probe's timer, by how much. */
  void record(long nanos) {
    max.accumulate(nanos);
    samples.incrementAndGet();
    buckets.incrementAndGet(bucket(nanos));
  }

  /** A probe that only counts what {@link #record} is given (tests). */
  static LagProbe counting() {
    return new LagProbe(null);
  }

  static LagProbe start(Vertx vertx, VertxSizing sizing) {
    if (sizing.lagProbe().isZero()) {
      return new LagProbe(null);
    }
    return new LagProbe(EventLoopLag.start(vertx, sizing.eventLoops(), sizing.lagProbe()).await());
  }

  /** The probe, or null when off. */
  EventLoopLag probe() {
    return probe;
  }

  /** {@code event-loop lag: p99 <= 1.25 ms, max 12.3 ms over 456 samples on 2 loop(s)}, when probing. */
  Optional<String> summary() {
    return probe == null ? Optional.empty() : Optional.of(String.format(java.util.Locale.ROOT,
        "event-loop lag: p99 <= %.2f ms, max %.1f ms over %d samples on %d loop(s)",
        Math.min(upperMillis(quantileBucket(0.99)), max.get() / 1e6), max.get() / 1e6, samples.get(), probe.threads().size()));
  }

  static int bucket(long nanos) {
    double ms = nanos / 1e6;
    if (ms < 50) {
      return (int) (ms / 0.25);
    }
    return ms < 1000 ? 200 + (int) ((ms - 50) / 5) : 390;
  }

  /** The upper edge of a bucket in ms (the last one has none: infinity). */
  static double upperMillis(int bucket) {
    return bucket < 200 ? (bucket + 1) * 0.25 : bucket < 390 ? 50 + (bucket - 199) * 5.0 : Double.POSITIVE_INFINITY;
  }

  /** The bucket holding quantile {@code q} of the samples so far (0 when there are none). */
  int quantileBucket(double q) {
    long total = 0;
    for (int i = 0; i < buckets.length(); i++) {
      total += buckets.get(i);
    }
    long rank = (long) Math.ceil(q * total);
    long seen = 0;
    for (int i = 0; i < buckets.length(); i++) {
      seen += buckets.get(i);
      if (seen >= rank && seen > 0) {
        return i;
      }
    }
    return 0;
  }

  void stop() {
    if (probe != null) {
      probe.stop().otherwiseEmpty().await();
    }
  }
}
