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

  private LagProbe(EventLoopLag probe) {
    this.probe = probe;
    if (probe != null) {
      probe.addListener((loop, nanos) -> {
        max.accumulate(nanos);
        samples.incrementAndGet();
      });
    }
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

  /** {@code event-loop lag: max 12.3 ms over 456 samples on 2 loops}, when probing. */
  Optional<String> summary() {
    return probe == null ? Optional.empty() : Optional.of(String.format("event-loop lag: max %.1f ms over %d samples on %d loop(s)",
        max.get() / 1e6, samples.get(), probe.threads().size()));
  }

  void stop() {
    if (probe != null) {
      probe.stop().otherwiseEmpty().await();
    }
  }
}
