package io.hostmesh.ssh;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Consumer;

/**
 * One accepted connection and the {@code sshd -i} that serves it ({@code sshd@.service}). Two
 * kinds: {@link HandoffSession} gives sshd the connection itself, as systemd does;
 * {@link SshdSession} pipes bytes between the connection and sshd's standard streams where that
 * cannot be done. Every method runs on the unit's event loop. What both kinds share lives here.
 */
abstract class SshSession {
  protected final long id;
  protected final String remote;
  protected final long openedAtMillis;
  protected final Promise<Void> finished = Promise.promise();
  protected int exitCode = -1;
  protected String reason;
  protected volatile String lastStderrLine = "";

  SshSession(long id, String remote, long openedAtMillis) {
    this.id = id;
    this.remote = remote;
    this.openedAtMillis = openedAtMillis;
  }

  final long id() {
    return id;
  }

  /** The client's address and port, as sshd would log it. */
  final String remote() {
    return remote;
  }

  final long openedAtMillis() {
    return openedAtMillis;
  }

  /** sshd's exit code once {@link #finished()}, -1 when it never ran. */
  final int exitCode() {
    return exitCode;
  }

  /** Why the session ended, once {@link #finished()}. */
  final String reason() {
    return reason;
  }

  /** sshd's last line on standard error (empty when none); read after {@link #finished()}. */
  final String lastStderrLine() {
    return lastStderrLine;
  }

  /** Completes once sshd is reaped and the connection closed; never fails. */
  final Future<Void> finished() {
    return finished.future();
  }

  /** Bytes each way so far. */
  record Traffic(long fromClient, long toClient) {}

  /** Bytes each way so far (one look at the connection for both). */
  abstract Traffic traffic();

  /** Completes when the client is known to have left before sshd started (may never complete). */
  abstract Future<Void> clientLeft();

  /** Starts sshd on this connection; completes with its pid. */
  abstract Future<Long> start(List<String> argv);

  /** sshd could not be started: the connection is closed. */
  abstract void abort(String why);

  /** Closes the connection (unit stopping): sshd is terminated. */
  abstract void close(String why);

  /** Reads sshd's standard error to its end (blocking), passing on the last non-empty line seen. */
  static void drainStderr(InputStream err, Consumer<String> lastLine) {
    try (err) {
      byte[] buf = new byte[4096];
      int n;
      while ((n = err.read(buf)) > 0) {
        String text = new String(buf, 0, n, StandardCharsets.UTF_8).strip();
        if (!text.isEmpty()) {
          lastLine.accept(text.substring(text.lastIndexOf('\n') + 1));
        }
      }
    } catch (IOException e) {
      // nothing more to learn from it
    }
  }
}
