package io.hostmesh.schema.https;

/**
 * What one HTTPS time-sync attempt (or the whole sync) came to. The first five end the sync and
 * latch {@code time-sync-https-wait}; the others make timesync-https wait and try again
 * (spec/units.md §timesync-https).
 */
public enum HttpsSyncResult {
  /** 204 with a Date more than 2 s away: the clock was set. Final. */
  SYNCHRONISED(true),
  /** 204 with a Date within 2 s: nothing to do. Final. */
  ALREADY_SYNCHRONISED(true),
  /** 204 without a usable Date header: clock not updated. Final. */
  NO_DATE(true),
  /** No connectivity URI (or the string {@code "null"}, or not https): no request made. Final. */
  SKIPPED(true),
  /**
   * 204 with a usable Date more than 2 s away, but this process may not set the clock (a device
   * profile without CAP_SYS_TIME): reported, and final, since retrying cannot help.
   */
  CLOCK_NOT_SETTABLE(true),
  /** An answer other than 204 (a captive portal answers 200). Retried. */
  UNEXPECTED_STATUS(false),
  /** DNS, connect or protocol failure. Retried. */
  CONNECTION_FAILED(false),
  /** No answer within the 10 s cap. Retried. */
  TIMED_OUT(false),
  /** The server's certificate chain or host name was not trusted. Retried. */
  TLS_REFUSED(false),
  /** 204 with a Date earlier than the build time (/etc/timestamp): refused as impossible. Retried. */
  IMPOSSIBLE_DATE(false);

  private final boolean ends;

  HttpsSyncResult(boolean ends) {
    this.ends = ends;
  }

  /** True when this result ends the sync (the target is latched). */
  public boolean ends() {
    return ends;
  }

  /** Lower-case label for metrics tags and JSON maps ({@code tls_refused}). */
  public String label() {
    return name().toLowerCase();
  }
}
