package io.hostmesh.platform.internal;

import io.hostmesh.platform.SystemClock;

import io.hostmesh.schema.time.ClockSet;
import io.vertx.core.Future;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * A {@link SystemClock} that remembers and reports each set; subclasses only apply the step,
 * which runs (blocking) on the device's ordered worker.
 */
abstract class SteppedClock implements SystemClock {
  private final Consumer<ClockSet> onSet;
  private final DeviceWorker worker;
  private volatile ClockSet lastSet;

  SteppedClock(Consumer<ClockSet> onSet, DeviceWorker worker) {
    this.onSet = onSet;
    this.worker = worker;
  }

  /** Moves the clock to {@code time}; throws when it cannot. Runs on the worker. */
  abstract void apply(Instant time);

  @Override
  public final Future<ClockSet> set(Instant time, String source) {
    return worker.submit(() -> {
      Instant before = now();
      apply(time);
      ClockSet set = new ClockSet(before, time, source);
      lastSet = set;
      onSet.accept(set);
      return set;
    });
  }

  @Override
  public final Optional<ClockSet> lastSet() {
    return Optional.ofNullable(lastSet);
  }
}
