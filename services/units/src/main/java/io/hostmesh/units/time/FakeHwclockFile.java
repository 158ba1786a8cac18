package io.hostmesh.units.time;

import io.hostmesh.unit.support.TimeFormats;

import io.hostmesh.platform.HostFiles;
import io.hostmesh.platform.SystemClock;
import io.hostmesh.unit.UnitLog;
import io.vertx.core.Future;
import java.io.IOException;
import java.time.Instant;
import java.util.Optional;

/**
 * {@code /sbin/fake-hwclock load|save [force]} (spec/units.md §1 fake-hwclock): the saved time
 * in {@code /etc/fake-hwclock/fake-hwclock.data} as {@code YYYY-MM-DD hh:mm:ss} UTC.
 */
public final class FakeHwclockFile {
  public static final String FILE = "/etc/fake-hwclock/fake-hwclock.data";

  private final HostFiles files;
  private final SystemClock clock;
  private final UnitLog log;

  public FakeHwclockFile(HostFiles files, SystemClock clock, UnitLog log) {
    this.files = files;
    this.clock = clock;
    this.log = log;
  }

  /** The saved time, if the file exists and parses. */
  public Optional<Instant> saved() throws IOException {
    return files.read(FILE).flatMap(TimeFormats::parseHwclock);
  }

  /** {@code load}: moves the clock forward to the saved time; never backwards unless forced. */
  public Future<Void> load(boolean force) throws IOException {
    Optional<String> text = files.read(FILE);
    if (text.isEmpty()) {
      log.info("Unable to read saved clock information: " + FILE + " does not exist");
      return Future.succeededFuture();
    }
    Optional<Instant> saved = TimeFormats.parseHwclock(text.get());
    if (saved.isEmpty()) {
      log.warn("Unable to read saved clock information: " + FILE + " is not a valid time: " + text.get().trim());
      return Future.succeededFuture();
    }
    Instant now = clock.now();
    if (force || TimeFormats.seconds(now) <= TimeFormats.seconds(saved.get())) {
      log.info("Setting system time from " + FILE + ".");
      return clock.set(saved.get(), "fake-hwclock").<Void>mapEmpty().recover(e -> {
        if (e instanceof SystemClock.NotSettable) {
          // no CAP_SYS_TIME: reported, and the boot goes on (a restart cannot fix it)
          log.error("System time not set from " + FILE + ": " + e.getMessage());
          return Future.succeededFuture();
        }
        return Future.failedFuture(e);
      });
    } else {
      log.info("Current system time: " + TimeFormats.HWCLOCK.format(now));
      log.info("fake-hwclock saved clock information is in the past: " + TimeFormats.HWCLOCK.format(saved.get()));
      log.info("To set system time to this saved clock anyway, use \"force\"");
      return Future.succeededFuture();
    }
  }

  /**
   * {@code save}: writes the current time, unless the clock is behind the build time (a time
   * traveller would poison the next boot); completes with true when it wrote.
   */
  public Future<Boolean> save(boolean force, Optional<Instant> buildTime) {
    Instant now = clock.now();
    boolean exists = files.exists(FILE);
    if (exists && !force && buildTime.isPresent()
        && TimeFormats.seconds(now) < TimeFormats.seconds(buildTime.get())) {
      log.info("Time travel detected!");
      log.info("fake-hwclock release date is in the future: " + TimeFormats.HWCLOCK.format(buildTime.get()));
      log.info("Current system time: " + TimeFormats.HWCLOCK.format(now));
      log.info("To force the saved system clock backwards in time anyway, use \"force\"");
      return Future.succeededFuture(false);
    }
    log.info("Saving system time to " + FILE + ".");
    return files.write(FILE, TimeFormats.HWCLOCK.format(now) + "\n", null).map(true);
  }
}
