package io.hostmesh.platform.internal;

import io.hostmesh.platform.BlockingHostFiles;
import io.hostmesh.platform.BlockingRtc;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * A simulated RTC: {@code /dev/rtc} under the device root holds epoch seconds as of the file's
 * modification time; reading adds the time elapsed since, so the RTC keeps ticking like a
 * battery-backed clock. No file, no RTC. {@code /dev/rtc.drift-ppm}, when present, makes it run
 * fast (positive) or slow (negative) by that many parts per million of the time elapsed.
 */
public final class SimRtc implements BlockingRtc {
  static final String DEVICE_PATH = "/dev/rtc";
  /** Beside the RTC so that removing both leaves no trace; absent means no drift. */
  public static final String DRIFT_PATH = "/dev/rtc.drift-ppm";
  private final BlockingHostFiles files;
  private final LongSupplier hostMillis;

  public SimRtc(BlockingHostFiles files, LongSupplier hostMillis) {
    this.files = files;
    this.hostMillis = hostMillis;
  }

  @Override
  public boolean present() {
    return files.exists(DEVICE_PATH);
  }

  @Override
  public Optional<Instant> read() {
    try {
      Path p = files.resolve(DEVICE_PATH);
      Optional<String> text = files.read(DEVICE_PATH);
      if (text.isEmpty()) {
        return Optional.empty();
      }
      long seconds = Long.parseLong(text.get().trim());
      long writtenAt = Files.getLastModifiedTime(p).toMillis();
      long elapsed = Math.max(0, hostMillis.getAsLong() - writtenAt);
      long drift = Math.round(elapsed * driftPpm() / 1_000_000.0);
      return Optional.of(Instant.ofEpochSecond(seconds).plusMillis(elapsed + drift));
    } catch (IOException | NumberFormatException e) {
      return Optional.empty();
    }
  }

  /** The drift in ppm; 0 when none is set or the file cannot be read (a sim aid, never fatal). */
  private double driftPpm() {
    try {
      return files.read(DRIFT_PATH).map(String::trim).filter(t -> !t.isEmpty()).map(Double::parseDouble).orElse(0.0);
    } catch (IOException | NumberFormatException e) {
      return 0;
    }
  }

  @Override
  public void write(Instant time) throws IOException {
    files.write(DEVICE_PATH, time.getEpochSecond() + "\n", null);
    Files.setLastModifiedTime(files.resolve(DEVICE_PATH), java.nio.file.attribute.FileTime.fromMillis(hostMillis.getAsLong()));
  }
}
