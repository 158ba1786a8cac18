package io.hostmesh.schema.chrony;

import java.time.Instant;
import java.util.List;

/**
 * What the supervised chronyd reports, latched on {@link ChronyTopics#STATUS} (for
 * {@code /v1/time} and the metrics: every numeric and boolean component becomes a gauge).
 *
 * @param running chronyd answers on its command socket
 * @param synced a source is selected ({@code ^*} in {@code chronyc sources}) and
 *     {@code |offsetSeconds| <= 0.1} (chrony-healthcheck's {@code waitsync} bound)
 * @param selectedSource the address of the selected source; {@code null} when none
 * @param stratum chronyd's own stratum ({@code chronyc tracking}); 0 when never synchronised
 * @param offsetSeconds the device clock minus NTP time; positive when the device is ahead.
 *     In {@code sim} the device clock is the simulated one (see the chrony-bridge docs)
 * @param lastUpdate the reference time of chronyd's last clock update; {@code null} when never
 * @param sources every source chronyd knows, selected or not
 * @param reachableSources how many of them answered at least one of the last eight polls
 * @param checkedAt the device's system time when chronyd was asked
 */
public record ChronyStatus(
    boolean running,
    boolean synced,
    String selectedSource,
    int stratum,
    double offsetSeconds,
    Instant lastUpdate,
    List<ChronySource> sources,
    int reachableSources,
    Instant checkedAt) {
  public ChronyStatus {
    sources = sources == null ? List.of() : List.copyOf(sources);
  }

  /** chronyd is not running (stopped, restarting, or not answering). */
  public static ChronyStatus down(Instant checkedAt) {
    return new ChronyStatus(false, false, null, 0, 0, null, List.of(), 0, checkedAt);
  }
}
