package io.hostmesh.platform;

import io.hostmesh.schema.time.ClockSet;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Consumer;

/** A {@link SystemClock} that remembers and reports each set; subclasses only apply the step. */
abstract class SteppedClock implements SystemClock {
  private final Consumer<ClockSet> onSet;
  private volatile ClockSet lastSet;

  SteppedClock(Consumer<ClockSet> onSet) {
    this.onSet = onSet;
  }

  /** Moves the clock to {@code time}; throws when it cannot. */
  abstract void apply(Instant time);

  @Override
  public final synchronized ClockSet set(Instant time, String source) {
    Instant before = now();
    apply(time);
    ClockSet set = new ClockSet(before, time, source);
    lastSet = set;
    onSet.accept(set);
    return set;
  }

  @Override
  public final Optional<ClockSet> lastSet() {
    return Optional.ofNullable(lastSet);
  }
}
