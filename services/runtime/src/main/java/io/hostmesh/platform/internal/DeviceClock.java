package io.hostmesh.platform.internal;

import io.hostmesh.platform.ProcessResult;

import io.hostmesh.schema.time.ClockSet;
import java.io.IOException;
import io.hostmesh.platform.SystemClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The kernel clock of a real device (device profile only). Set with {@code date -u -s @EPOCH},
 * as os-helpers-time does with {@code date -u MMDDhhmmYYYY.ss}. A process without
 * {@code CAP_SYS_TIME} (a container) cannot set it: {@link #set} then fails with
 * {@link SystemClock.NotSettable} naming the capability.
 */
public final class DeviceClock extends SteppedClock {
  /** Bound on the whole run of {@code date}; on expiry it is killed. */
  private static final Duration TIMEOUT = Duration.ofSeconds(10);
  /** capabilities(7): CAP_SYS_TIME is bit 25. */
  static final int CAP_SYS_TIME = 25;

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
      // GNU date prints the date even when it could not set it: keep its error only
      String said = r.stderr().strip();
      Optional<String> missing = missingClockCapability(Path.of("/proc/self/status"));
      if (missing.isPresent()) {
        throw new SystemClock.NotSettable("cannot set the system clock: " + missing.get() + " (date: " + said + ")");
      }
      throw new IllegalStateException("setting the device clock failed (exit " + r.exitCode() + "): " + said);
    }
  }

  /**
   * Why this process (and the root programs it starts, chronyd among them) cannot set the
   * clock, read from {@code status} ({@code /proc/self/status}): CAP_SYS_TIME missing from
   * {@code CapEff} or from {@code CapBnd}. Empty when it may, or when the file cannot be read.
   */
  public static Optional<String> missingClockCapability(Path status) {
    try {
      return missingClockCapability(Files.readString(status));
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  /** {@link #missingClockCapability(Path)} of the text of a status file. */
  static Optional<String> missingClockCapability(String status) {
    String eff = field(status, "CapEff");
    String bnd = field(status, "CapBnd");
    if (eff == null || bnd == null) {
      return Optional.empty();
    }
    boolean inEff = (Long.parseUnsignedLong(eff, 16) >>> CAP_SYS_TIME & 1) == 1;
    boolean inBnd = (Long.parseUnsignedLong(bnd, 16) >>> CAP_SYS_TIME & 1) == 1;
    if (inEff && inBnd) {
      return Optional.empty();
    }
    return Optional.of("this process lacks CAP_SYS_TIME (CapEff " + eff + ", CapBnd " + bnd + ")");
  }

  private static String field(String status, String name) {
    for (String line : status.split("\n")) {
      if (line.startsWith(name + ":")) {
        return line.substring(name.length() + 1).strip();
      }
    }
    return null;
  }
}
