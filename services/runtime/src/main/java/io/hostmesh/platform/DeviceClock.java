package io.hostmesh.platform;

import io.hostmesh.schema.time.ClockSet;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The kernel clock of a real device (device profile only). Set with {@code date -u -s @EPOCH},
 * as os-helpers-time does with {@code date -u MMDDhhmmYYYY.ss}.
 */
public final class DeviceClock extends SteppedClock {
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
    try {
      Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
      if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new IllegalStateException("setting the device clock failed: " + new String(p.getInputStream().readAllBytes()));
      }
    } catch (java.io.IOException e) {
      throw new IllegalStateException("cannot run date to set the device clock", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while setting the device clock", e);
    }
  }
}
