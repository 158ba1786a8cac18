package io.hostmesh.fleet;

import io.hostmesh.platform.SystemClock;
import io.hostmesh.schema.time.ClockSet;
import io.vertx.core.Future;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * A fleet device's system clock: true time (the partition's virtual clock) plus an offset. Set in
 * memory at once; every set goes to {@code onSet} (the device's bus and its measurements).
 * The kernel clock does not survive a power cycle: each boot starts it again at the scenario's
 * boot clock ({@link #reset}).
 */
final class FleetClock implements SystemClock {
  private final LongSupplier trueMillis;
  private Consumer<ClockSet> onSet = s -> { };
  private long offsetMillis;
  private ClockSet last;
  private boolean cut;

  FleetClock(LongSupplier trueMillis) {
    this.trueMillis = trueMillis;
  }

  void onSet(Consumer<ClockSet> listener) {
    this.onSet = listener;
  }

  /** Power on: the clock starts at {@code bootMillis} (the kernel's start), nothing set yet. */
  void reset(long bootMillis) {
    offsetMillis = bootMillis - trueMillis.getAsLong();
    last = null;
    cut = false;
  }

  void cutPower() {
    cut = true;
  }

  /** chronyd slewing the clock: no set, no event, just less error. */
  void slew(long millis) {
    if (!cut) {
      offsetMillis += millis;
    }
  }

  /** Device time minus true time, in milliseconds. */
  long errorMillis() {
    return offsetMillis;
  }

  @Override
  public Instant now() {
    return Instant.ofEpochMilli(trueMillis.getAsLong() + offsetMillis);
  }

  @Override
  public Future<ClockSet> set(Instant time, String source) {
    if (cut) {
      return Future.failedFuture("power cut: the clock was not set");
    }
    Instant previous = now();
    offsetMillis = time.toEpochMilli() - trueMillis.getAsLong();
    ClockSet s = new ClockSet(previous, now(), source);
    last = s;
    onSet.accept(s);
    return Future.succeededFuture(s);
  }

  @Override
  public Optional<ClockSet> lastSet() {
    return Optional.ofNullable(last);
  }
}
