package io.hostmesh.platform;

import io.hostmesh.schema.time.ClockSet;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * The simulated system clock: host time plus an offset persisted in
 * {@code /var/lib/hostmesh/clock-offset-ms} under the device root, so it survives a simulated
 * reboot. Setting it never touches the host's clock.
 */
public final class SimClock implements SystemClock {
  static final String OFFSET_FILE = "/var/lib/hostmesh/clock-offset-ms";

  private final HostFiles files;
  private final LongSupplier hostMillis;
  private final Consumer<ClockSet> onSet;
  private volatile long offsetMillis;
  private volatile ClockSet lastSet;

  public SimClock(HostFiles files, LongSupplier hostMillis, Consumer<ClockSet> onSet) {
    this.files = files;
    this.hostMillis = hostMillis;
    this.onSet = onSet;
    try {
      this.offsetMillis = files.read(OFFSET_FILE).map(String::trim).filter(s -> !s.isEmpty()).map(Long::parseLong).orElse(0L);
    } catch (IOException | NumberFormatException e) {
      this.offsetMillis = 0;
    }
  }

  @Override
  public Instant now() {
    return Instant.ofEpochMilli(hostMillis.getAsLong() + offsetMillis);
  }

  @Override
  public synchronized ClockSet set(Instant time, String source) {
    Instant before = now();
    offsetMillis = time.toEpochMilli() - hostMillis.getAsLong();
    try {
      files.write(OFFSET_FILE, Long.toString(offsetMillis) + "\n", null);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot persist the simulated clock offset", e);
    }
    ClockSet set = new ClockSet(before, time, source);
    lastSet = set;
    onSet.accept(set);
    return set;
  }

  @Override
  public Optional<ClockSet> lastSet() {
    return Optional.ofNullable(lastSet);
  }

  /** The offset from the host's clock, in milliseconds. */
  public long offsetMillis() {
    return offsetMillis;
  }
}
