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
 * battery-backed clock. No file, no RTC.
 */
public final class SimRtc implements BlockingRtc {
  static final String DEVICE_PATH = "/dev/rtc";
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
      return Optional.of(Instant.ofEpochSecond(seconds).plusMillis(elapsed));
    } catch (IOException | NumberFormatException e) {
      return Optional.empty();
    }
  }

  @Override
  public void write(Instant time) throws IOException {
    files.write(DEVICE_PATH, time.getEpochSecond() + "\n", null);
    Files.setLastModifiedTime(files.resolve(DEVICE_PATH), java.nio.file.attribute.FileTime.fromMillis(hostMillis.getAsLong()));
  }
}
