package io.hostmesh.platform;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** The device's RTC through {@code hwclock} (device profile only). */
public final class HwclockRtc implements BlockingRtc {
  @Override
  public boolean present() {
    return Files.exists(Path.of("/dev/rtc"));
  }

  @Override
  public Optional<Instant> read() {
    try {
      Process p = new ProcessBuilder("hwclock", "--show", "--utc", "--noadjfile").redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes()).trim();
      if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
        return Optional.empty();
      }
      // util-linux prints ISO 8601 with an offset: 2026-11-26 22:13:36.123456+00:00
      return Optional.of(OffsetDateTime.parse(out.replace(' ', 'T')).toInstant());
    } catch (IOException | DateTimeParseException e) {
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }

  @Override
  public void write(Instant time) throws IOException {
    try {
      Process p = new ProcessBuilder("hwclock", "--systohc", "--utc") // device profile only
          .redirectErrorStream(true).start();
      if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new IOException("hwclock failed: " + new String(p.getInputStream().readAllBytes()));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }
}
