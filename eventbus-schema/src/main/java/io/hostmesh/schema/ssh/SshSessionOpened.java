package io.hostmesh.schema.ssh;

import java.time.Instant;

/**
 * A connection was accepted and handed to its own {@code sshd -i} ({@code sshd@.service}).
 *
 * @param session the session number, counting from 1 per socket unit start
 * @param remote the client's address as {@code host:port}
 * @param mode the sshd variant chosen for it
 * @param pid the process id of {@code sshd} (or of its namespace wrapper)
 * @param wallTime the device's system time
 */
public record SshSessionOpened(long session, String remote, SshdMode mode, long pid, Instant wallTime) {}
