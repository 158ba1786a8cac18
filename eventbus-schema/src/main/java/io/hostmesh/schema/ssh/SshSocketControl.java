package io.hostmesh.schema.ssh;

/**
 * A job on the SSH socket from a user ({@code systemctl} over SSH), answered with the socket's
 * status once done. Neither job touches open sessions: as on balenaOS, where each connection is
 * its own {@code sshd@} unit, restarting the socket does not end the session that asked.
 *
 * @param action what to do
 * @param requester who asked ({@code shell})
 */
public record SshSocketControl(Action action, String requester) {
  /** The socket jobs. */
  public enum Action {
    /** {@code systemctl restart sshd.socket}: listen again if stopped, with the trigger limit cleared. */
    RESTART,
    /** {@code systemctl start recover-sshd-socket.service}: restart only if the trigger limit stopped it. */
    RECOVER
  }
}
