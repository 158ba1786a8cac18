package io.hostmesh.schema.ssh;

import java.time.Instant;

/**
 * An SSH session ended: its {@code sshd -i} was reaped and the connection closed.
 *
 * @param session the number from {@link SshSessionOpened}
 * @param remote the client's address as {@code host:port}
 * @param bytesFromClient bytes the client sent to sshd
 * @param bytesToClient bytes sshd sent to the client
 * @param durationMillis from accept to close
 * @param exitCode sshd's exit code; -1 when it never started
 * @param reason why it ended ({@code "sshd exited"}, {@code "client closed"}, {@code "socket stopped"}, ...)
 * @param wallTime the device's system time
 */
public record SshSessionClosed(long session, String remote, long bytesFromClient, long bytesToClient,
    long durationMillis, int exitCode, String reason, Instant wallTime) {}
