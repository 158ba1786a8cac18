package io.hostmesh.platform.internal;

import io.hostmesh.platform.BlockingHostFiles;

import io.hostmesh.schema.time.ClockSet;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * The simulated system clock: host time plus an offset persisted in
 * {@code /var/lib/hostmesh/clock-offset-ms} under the device root, so it survives a simulated
 * reboot. Setting it never touches the host's clock.
 */
public final class SimClock extends SteppedClock {
  static final String OFFSET_FILE = "/var/lib/hostmesh/clock-offset-ms";

  private final BlockingHostFiles files;
  private final LongSupplier hostMillis;
  private volatile long offsetMillis;

  public SimClock(BlockingHostFiles files, LongSupplier hostMillis, Consumer<ClockSet> onSet, DeviceWorker worker) {
    super(onSet, worker);
    this.files = files;
    this.hostMillis = hostMillis;
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
  void apply(Instant time) {
    offsetMillis = time.toEpochMilli() - hostMillis.getAsLong();
    try {
      files.write(OFFSET_FILE, Long.toString(offsetMillis) + "\n", null);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot persist the simulated clock offset", e);
    }
  }

  /** The offset from the host's clock, in milliseconds. */
  public long offsetMillis() {
    return offsetMillis;
  }
}
