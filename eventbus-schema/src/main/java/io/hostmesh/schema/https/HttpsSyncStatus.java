package io.hostmesh.schema.https;

import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

/**
 * The state of HTTPS time sync (latched on {@link HttpsTopics#STATUS}), updated after every
 * attempt; what {@code /v1/time} shows.
 *
 * @param finished true once the sync ended (time-sync-https-wait is then reached)
 * @param result the final result when finished, else the result of the last attempt (null before any)
 * @param uri the URI of the last attempt (null when skipped for lack of one)
 * @param attempts requests made so far in this run
 * @param serverTime the last usable server Date, or null
 * @param offsetMillis server minus system time at the last usable Date; 0 when none
 * @param clockStepMillis the step applied to the system clock; 0 when it was not set
 * @param detail the last reason in words (empty when none)
 * @param attemptsByResult attempts so far by {@link HttpsSyncResult#label()}, for metrics
 * @param wallTime the device's system time of this update
 * @param uptimeMillis mesh uptime of this update
 */
public record HttpsSyncStatus(
    boolean finished,
    HttpsSyncResult result,
    String uri,
    int attempts,
    Instant serverTime,
    long offsetMillis,
    long clockStepMillis,
    String detail,
    Map<String, Long> attemptsByResult,
    Instant wallTime,
    long uptimeMillis) {
  public HttpsSyncStatus {
    attemptsByResult = attemptsByResult == null ? Map.of()
        : java.util.Collections.unmodifiableMap(new TreeMap<>(attemptsByResult));
    detail = detail == null ? "" : detail;
  }
}
