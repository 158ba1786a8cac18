package io.hostmesh.schema.ssh;

/** The socket's state, named like systemd's socket {@code Result=} where one exists. */
public enum SshSocketState {
  /** Accepting connections. */
  LISTENING("listening"),
  /** Stopped by the trigger rate limit: new connections are refused until the recovery timer reopens it. */
  TRIGGER_LIMIT_HIT("trigger-limit-hit"),
  /** Not listening (unit stopping or stopped). */
  STOPPED("stopped");

  private final String label;

  SshSocketState(String label) {
    this.label = label;
  }

  /** The systemd-style name ({@code trigger-limit-hit}). */
  public String label() {
    return label;
  }
}
