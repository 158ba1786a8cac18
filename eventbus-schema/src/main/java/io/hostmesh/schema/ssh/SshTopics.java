package io.hostmesh.schema.ssh;

import io.hostmesh.bus.Facet;
import io.hostmesh.bus.Topic;

/** Topics of the SSH socket (spec/units.md §2: sshd.socket, sshd@.service). */
public final class SshTopics {
  /** A connection was handed to a new {@code sshd -i}. */
  public static final Topic<SshSessionOpened> SESSION_OPENED = Topic.event("ssh.session.opened", SshSessionOpened.class);
  /** An {@code sshd -i} ended and its connection is closed. */
  public static final Topic<SshSessionClosed> SESSION_CLOSED = Topic.event("ssh.session.closed", SshSessionClosed.class);
  /**
   * The socket's state, bound address and counters (latched). Published on every accept, refusal,
   * session end and state change, and every {@code statusIntervalSeconds} while sessions are open.
   */
  public static final Topic<SshSocketStatus> SOCKET_STATUS = Topic.status("ssh.socket.status", SshSocketStatus.class);

  /**
   * {@code systemctl restart sshd.socket} and {@code systemctl start recover-sshd-socket.service}
   * over SSH; served by the ssh-socket unit, answered with the socket's status.
   */
  public static final Topic.Request<SshSocketControl, SshSocketStatus> CONTROL =
      Topic.request("ssh.socket.control", SshSocketControl.class, SshSocketStatus.class);

  private SshTopics() {}
}
