package io.hostmesh.platform;

/**
 * Everything a unit may touch of the outside world: one instance per device.
 *
 * <p>Threading: the parts may be used from any thread; what blocks (file writes, clock and RTC
 * writes, commands) returns futures and runs on the device's ordered worker or the commands'
 * own threads, so a unit's event loop never waits. See each interface's "Threading" paragraph.
 */
public interface Platform {
  Profile profile();

  HostFiles files();

  SystemClock clock();

  Rtc rtc();

  Processes processes();

  Scheduler scheduler();

  /**
   * A model of the HTTPS endpoints the device reaches (the fleet simulation's connectivity
   * endpoint), or empty: then a unit makes its real client (timesync-https's verified WebClient).
   */
  default java.util.Optional<HttpsProbe> https() {
    return java.util.Optional.empty();
  }

  /**
   * Completes once the blocking work submitted so far (file, clock and RTC writes, in their
   * order) is done; the mesh waits for it after its units stopped, so a stopped device writes
   * nothing more to its root. Does not block.
   */
  default io.vertx.core.Future<Void> idle() {
    return io.vertx.core.Future.succeededFuture();
  }

  /**
   * Ends what the device's platform still holds when the device stops (long-running programs a
   * unit failed to stop). Blocking; the mesh calls it on a worker after its units stopped.
   */
  default void close() {}

  /**
   * A power cut (sim): from now on no write of this device reaches the disk (pending and later
   * ones fail; one already running finishes, as an atomic rename). Does not block: call it from
   * any thread, the moment the power goes; {@link #close()} then kills the programs.
   */
  default void cutPower() {}
}
