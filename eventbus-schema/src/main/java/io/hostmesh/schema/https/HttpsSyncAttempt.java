package io.hostmesh.schema.https;

import java.time.Instant;

/**
 * One HTTPS time-sync request and its outcome (event). Feed for metrics: count by
 * {@link #result()}, record {@link #offsetMillis()} and {@link #durationMillis()}.
 *
 * @param attempt 1 for the first request of this run of the unit
 * @param uri the URI requested
 * @param result what it came to
 * @param httpStatus the status code, 0 when there was no HTTP answer
 * @param detail human-readable reason (status line, TLS error, ...), empty when none
 * @param serverTime the server's Date, or null when none was usable
 * @param offsetMillis server time minus system time when the answer arrived; 0 without a Date
 * @param startedUptimeMillis mesh uptime when the request was sent (virtual in tests)
 * @param endedUptimeMillis mesh uptime when the outcome was known
 * @param durationMillis host milliseconds the request took (real even under virtual time)
 * @param nextDelayMillis the wait before the next attempt, 0 when this attempt ended the sync
 */
public record HttpsSyncAttempt(
    int attempt,
    String uri,
    HttpsSyncResult result,
    int httpStatus,
    String detail,
    Instant serverTime,
    long offsetMillis,
    long startedUptimeMillis,
    long endedUptimeMillis,
    long durationMillis,
    long nextDelayMillis) {}
