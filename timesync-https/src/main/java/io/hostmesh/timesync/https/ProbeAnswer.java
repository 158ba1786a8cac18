package io.hostmesh.timesync.https;

import io.hostmesh.schema.https.HttpsSyncResult;

/**
 * What one HEAD request brought back: an HTTP answer (status and raw Date header), or why there
 * was none.
 *
 * @param status the HTTP status, 0 without an answer
 * @param date the raw Date header, null when absent
 * @param failure why there was no answer (a retried result), null when there was one
 * @param detail the status line or the error, for logs and the status record
 */
record ProbeAnswer(int status, String date, HttpsSyncResult failure, String detail) {
  static ProbeAnswer response(int status, String date, String reason) {
    return new ProbeAnswer(status, date, null, "HTTP " + status + (reason == null || reason.isEmpty() ? "" : " " + reason));
  }

  static ProbeAnswer failed(HttpsSyncResult why, String detail) {
    return new ProbeAnswer(0, null, why, detail);
  }

  boolean answered() {
    return failure == null;
  }
}
