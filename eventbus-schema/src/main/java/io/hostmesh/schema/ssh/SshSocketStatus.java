package io.hostmesh.schema.ssh;

/**
 * The SSH socket's latched status and counters (counters from unit start; they map to Micrometer
 * as {@code ssh_socket_accepted_total}, {@code ssh_socket_refused_total},
 * {@code ssh_socket_sessions_active} (gauge), {@code ssh_socket_bytes_from_client_total},
 * {@code ssh_socket_bytes_to_client_total}, {@code ssh_socket_trigger_limit_hits_total}).
 *
 * @param state listening, trigger-limit-hit or stopped
 * @param host the address it is bound to
 * @param port the port it is bound to (the real one when the setting was 0)
 * @param maxConnections concurrent connections allowed (systemd {@code MaxConnections=})
 * @param triggerLimitBurst accepts allowed per interval (systemd {@code TriggerLimitBurst=})
 * @param triggerLimitIntervalMillis the interval (systemd {@code TriggerLimitIntervalSec=})
 * @param accepted connections handed to an sshd
 * @param refused connections closed at once: over {@code maxConnections}, or while trigger-limit-hit
 * @param active sessions open now
 * @param bytesFromClient bytes clients sent, all sessions (open ones up to the last publication)
 * @param bytesToClient bytes sent to clients, all sessions
 * @param triggerLimitHits how often the trigger limit stopped the socket
 */
public record SshSocketStatus(
    SshSocketState state,
    String host,
    int port,
    int maxConnections,
    int triggerLimitBurst,
    long triggerLimitIntervalMillis,
    long accepted,
    long refused,
    int active,
    long bytesFromClient,
    long bytesToClient,
    long triggerLimitHits) {}
