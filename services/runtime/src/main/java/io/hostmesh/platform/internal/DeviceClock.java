package io.hostmesh.platform.internal;

import io.hostmesh.platform.ProcessResult;

import io.hostmesh.schema.time.ClockSet;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;

/**
 * The kernel clock of a real device (device profile only). Set with {@code date -u -s @EPOCH},
 * as os-helpers-time does with {@code date -u MMDDhhmmYYYY.ss}.
 */
public final class DeviceClock extends SteppedClock {
  /** Bound on the whole run of {@code date}; on expiry it is killed. */
  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  public DeviceClock(Consumer<ClockSet> onSet, DeviceWorker worker) {
    super(onSet, worker);
  }

  @Override
  public Instant now() {
    return Instant.now();
  }

  @Override
  void apply(Instant time) {
    List<String> argv = List.of("date", "-u", "-s", "@" + time.getEpochSecond());
    ProcessResult r;
    try {
      r = BoundedCommand.run(argv, TIMEOUT);
    } catch (IOException e) {
      throw new IllegalStateException("cannot run date to set the device clock: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while setting the device clock", e);
    }
    if (!r.ok()) {
      throw new IllegalStateException("setting the device clock failed (exit " + r.exitCode() + "): "
          + (r.stderr() + r.stdout()).trim());
    }
  }
}
