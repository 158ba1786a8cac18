package io.hostmesh.platform;

import io.hostmesh.schema.https.HttpsSyncResult;
import io.vertx.core.Future;
import java.net.URI;

/**
 * One HTTPS {@code HEAD} request to a connectivity endpoint, as timesync-https makes it: the
 * answer's status and raw {@code Date} header, or why there was none (the certificate was not
 * trusted, no answer in time, no connection). timesync-https's own client (a Vert.x WebClient
 * verifying TLS) is the real implementation; {@link Platform#https()} may hand a unit a model
 * instead (the fleet's endpoint: latency, outages, captive portals, capacity) so the unit's
 * decisions and back-off run unchanged on virtual time.
 *
 * <p>Threading: call from the unit's event loop; the answer completes on it and never fails.
 */
public interface HttpsProbe extends AutoCloseable {
  /** Sends the request; the future always succeeds, with an answer or the reason there was none. */
  Future<Answer> head(URI uri, String balenaRootCA);

  /** Drops what is in flight; the next request starts afresh. */
  @Override
  void close();

  /**
   * What one request brought back.
   *
   * @param status the HTTP status, 0 without an answer
   * @param date the raw Date header, null when absent
   * @param failure why there was no answer (a retried result; {@link HttpsSyncResult#TLS_REFUSED}
   *     when the certificate was not trusted), null when there was one
   * @param detail the status line or the error, for logs and the status record
   */
  record Answer(int status, String date, HttpsSyncResult failure, String detail) {
    public static Answer response(int status, String date, String reason) {
      return new Answer(status, date, null, "HTTP " + status + (reason == null || reason.isEmpty() ? "" : " " + reason));
    }

    public static Answer failed(HttpsSyncResult why, String detail) {
      return new Answer(0, null, why, detail);
    }

    public boolean answered() {
      return failure == null;
    }
  }
}
