package io.hostmesh.platform.internal;

import io.hostmesh.platform.BlockingRtc;
import io.hostmesh.platform.ProcessResult;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;

/**
 * The device's RTC through {@code hwclock} (device profile only). Each run is bounded as a whole
 * (output included) and killed on expiry.
 */
public final class HwclockRtc implements BlockingRtc {
  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  @Override
  public boolean present() {
    return Files.exists(Path.of("/dev/rtc"));
  }

  @Override
  public Optional<Instant> read() {
    try {
      ProcessResult r = BoundedCommand.run(List.of("hwclock", "--show", "--utc", "--noadjfile"), TIMEOUT);
      if (!r.ok()) {
        return Optional.empty();
      }
      // util-linux prints ISO 8601 with an offset: 2026-11-26 22:13:36.123456+00:00; warnings
      // go to standard error and no longer spoil the parse
      return Optional.of(OffsetDateTime.parse(r.stdout().trim().replace(' ', 'T')).toInstant());
    } catch (IOException | DateTimeParseException e) {
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }

  @Override
  public void write(Instant time) throws IOException {
    ProcessResult r;
    try {
      r = BoundedCommand.run(List.of("hwclock", "--systohc", "--utc"), TIMEOUT); // device profile only
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
    if (!r.ok()) {
      throw new IOException("hwclock failed (exit " + r.exitCode() + "): " + (r.stderr() + r.stdout()).trim());
    }
  }
}
