package io.hostmesh.ssh;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetSocket;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * One accepted connection piped to its own {@code sshd -i} (spec/units.md §2 {@code sshd@.service},
 * {@code StandardInput=socket}): the socket's bytes go to the process's stdin, its stdout to the
 * socket, both ways with back-pressure.
 *
 * <p>Threading: the socket side runs on the unit's event loop ({@code context}); blocking pipe
 * reads and writes run on pump threads from {@code pumps}. Client → sshd: the socket is paused
 * while more than {@link #STDIN_HIGH} bytes wait for the stdin writer, resumed below
 * {@link #STDIN_LOW}. sshd → client: the stdout reader takes a credit per byte, at most
 * {@link #STDOUT_IN_FLIGHT}; the credits come back once the socket's write queue is not full
 * (at once, or on drain). Both pumps batch what has piled up, so a busy machine pays for fewer
 * thread hand-offs and system calls, not more.
 *
 * <p>Either side closing closes the other: socket closed → stdin closed and sshd terminated;
 * sshd's stdout ended → the socket is closed after the last write. {@link #finished()} completes
 * once sshd is reaped, its stdout drained and the socket closed.
 */
final class SshdSession extends SshSession {
  static final int CHUNK = 64 * 1024;
  static final long STDIN_HIGH = 512 * 1024;
  static final long STDIN_LOW = 128 * 1024;
  /** Bytes read from sshd's stdout and not yet accepted by a socket with room in its write queue. */
  static final int STDOUT_IN_FLIGHT = 512 * 1024;
  private static final int STDIN_BATCH = 256 * 1024;
  private static final long KILL_AFTER_SECONDS = 5;
  private static final Buffer STDIN_EOF = Buffer.buffer();

  private final NetSocket socket;
  private final Context context;
  private final ExecutorService pumps;
  private final Function<List<String>, Future<Process>> spawner;
  private final Promise<Void> socketClosedPromise = Promise.promise();

  // client → sshd
  private final LinkedBlockingQueue<Buffer> stdinQueue = new LinkedBlockingQueue<>();
  private final AtomicLong stdinQueued = new AtomicLong();
  private final AtomicBoolean pausedForStdin = new AtomicBoolean();
  // sshd → client: chunks wait here for one event-loop task that writes all of them
  private final Semaphore credits = new Semaphore(STDOUT_IN_FLIGHT);
  private final ConcurrentLinkedQueue<Buffer> stdoutQueue = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean toClientScheduled = new AtomicBoolean();
  private int heldCredits;
  private Future<Void> lastWrite = Future.succeededFuture();

  // event-loop state
  private Process process;
  private long bytesFromClient;
  private long bytesToClient;
  private boolean socketClosed;
  private boolean stdoutEnded;
  private boolean exited;

  SshdSession(long id, NetSocket socket, Context context, ExecutorService pumps, long openedAtMillis,
      Function<List<String>, Future<Process>> spawner) {
    super(id, socket.remoteAddress() == null ? "unknown" : socket.remoteAddress().toString(), openedAtMillis);
    this.spawner = spawner;
    this.socket = socket;
    this.context = context;
    this.pumps = pumps;
    // nothing may be read before sshd is there to take it
    socket.pause();
    socket.closeHandler(v -> onSocketClosed());
    socket.exceptionHandler(e -> socket.close());
  }

  @Override
  Traffic traffic() {
    return new Traffic(bytesFromClient, bytesToClient);
  }

  /** Completes when the connection is closed, by either side. */
  @Override
  Future<Void> clientLeft() {
    return socketClosedPromise.future();
  }

  @Override
  Future<Long> start(List<String> argv) {
    return spawner.apply(argv).map(p -> {
      attach(p);
      return p.pid();
    });
  }

  /** Connects a started sshd to the socket. Event loop only. */
  private void attach(Process p) {
    this.process = p;
    if (socketClosed) {
      // the client left while sshd was starting
      terminate();
    }
    pumps.execute(this::pumpStdin);
    pumps.execute(this::pumpStdout);
    pumps.execute(() -> SshSession.drainStderr(process.getErrorStream(), line -> lastStderrLine = line));
    p.onExit().thenAccept(x -> context.runOnContext(v -> onExit(x.exitValue())));
    socket.handler(this::fromClient);
    socket.drainHandler(v -> releaseHeldCredits());
    if (!socketClosed) {
      socket.resume();
    }
  }

  /** sshd could not be started: the connection is closed. Event loop only. */
  @Override
  void abort(String why) {
    reason = why;
    exited = true;
    stdoutEnded = true;
    socket.close();
    maybeFinish();
  }

  /** Closes the connection (unit stopping); sshd follows. Event loop only. */
  @Override
  void close(String why) {
    if (reason == null) {
      reason = why;
    }
    socket.close();
  }

  private void fromClient(Buffer b) {
    bytesFromClient += b.length();
    // pause before queueing, so the writer always sees the flag it may have to clear
    if (stdinQueued.addAndGet(b.length()) > STDIN_HIGH && pausedForStdin.compareAndSet(false, true)) {
      socket.pause();
    }
    stdinQueue.add(b);
  }

  private void pumpStdin() {
    OutputStream out = process.getOutputStream();
    byte[] batch = new byte[STDIN_BATCH];
    List<Buffer> taken = new ArrayList<>();
    try (out) {
      while (true) {
        taken.add(stdinQueue.take());
        stdinQueue.drainTo(taken);
        int length = 0;
        boolean eof = false;
        for (Buffer b : taken) {
          if (b == STDIN_EOF) {
            eof = true;
            break;
          }
          if (length + b.length() > batch.length) {
            out.write(batch, 0, length);
            length = 0;
          }
          if (b.length() > batch.length) {
            out.write(b.getBytes());
          } else {
            b.getBytes(0, b.length(), batch, length);
            length += b.length();
          }
        }
        out.write(batch, 0, length);
        out.flush();
        long written = 0;
        for (Buffer b : taken) {
          written += b.length();
        }
        taken.clear();
        if (eof) {
          return;
        }
        if (stdinQueued.addAndGet(-written) < STDIN_LOW && pausedForStdin.compareAndSet(true, false)) {
          context.runOnContext(v -> {
            if (!socketClosed) {
              socket.resume();
            }
          });
        }
      }
    } catch (IOException | InterruptedException e) {
      // sshd went away: what is left is dropped; the exit handler closes the socket
      stdinQueue.clear();
      if (pausedForStdin.compareAndSet(true, false)) {
        context.runOnContext(v -> socket.resume());
      }
    }
  }

  private void pumpStdout() {
    byte[] chunk = new byte[CHUNK];
    try (InputStream in = process.getInputStream()) {
      int n;
      while ((n = in.read(chunk)) > 0) {
        // sshd writes a packet at a time: take what else is already in the pipe, up to a chunk
        int more;
        while (n < CHUNK && in.available() > 0 && (more = in.read(chunk, n, CHUNK - n)) > 0) {
          n += more;
        }
        credits.acquire(n);
        stdoutQueue.add(Buffer.buffer(n).appendBytes(chunk, 0, n));
        if (toClientScheduled.compareAndSet(false, true)) {
          context.runOnContext(v -> toClient());
        }
      }
    } catch (IOException | InterruptedException e) {
      // the pipe broke: same as end of stream
    }
    context.runOnContext(v -> onStdoutEnded());
  }

  private void toClient() {
    toClientScheduled.set(false);
    Buffer b = stdoutQueue.poll();
    if (b == null) {
      return;
    }
    Buffer next = stdoutQueue.poll();
    if (next != null) {
      // several chunks piled up: one write, one system call
      Buffer merged = Buffer.buffer(b.length() + next.length() + CHUNK).appendBuffer(b).appendBuffer(next);
      while ((next = stdoutQueue.poll()) != null) {
        merged.appendBuffer(next);
      }
      b = merged;
    }
    if (socketClosed) {
      credits.release(b.length());
      return;
    }
    bytesToClient += b.length();
    lastWrite = socket.write(b);
    if (socket.writeQueueFull()) {
      heldCredits += b.length();
    } else {
      credits.release(b.length());
    }
  }

  private void releaseHeldCredits() {
    if (heldCredits > 0) {
      credits.release(heldCredits);
      heldCredits = 0;
    }
  }

  private void onStdoutEnded() {
    stdoutEnded = true;
    if (reason == null) {
      reason = "sshd closed the connection";
    }
    // close once the last chunk reached the kernel, so nothing sshd said is cut off
    lastWrite.onComplete(x -> socket.close());
    maybeFinish();
  }

  private void onExit(int code) {
    exited = true;
    exitCode = code;
    if (reason == null) {
      reason = "sshd exited";
    }
    maybeFinish();
  }

  private void onSocketClosed() {
    if (socketClosed) {
      return;
    }
    socketClosed = true;
    if (reason == null) {
      reason = "client closed";
    }
    releaseHeldCredits();
    // the client is gone: sshd sees end of input, and is terminated in case it does not notice
    stdinQueue.add(STDIN_EOF);
    terminate();
    socketClosedPromise.complete();
    maybeFinish();
  }

  /** SIGTERM to sshd (KillMode=process: its children are left alone), SIGKILL if it lingers. */
  private void terminate() {
    Process p = process;
    if (p == null || !p.isAlive()) {
      return;
    }
    p.destroy();
    try {
      pumps.execute(() -> {
        try {
          if (!p.waitFor(KILL_AFTER_SECONDS, TimeUnit.SECONDS)) {
            p.destroyForcibly();
          }
        } catch (InterruptedException e) {
          p.destroyForcibly();
        }
      });
    } catch (RejectedExecutionException e) {
      p.destroyForcibly();
    }
  }

  private void maybeFinish() {
    if (exited && stdoutEnded && socketClosed && !finished.future().isComplete()) {
      stdinQueue.add(STDIN_EOF);
      finished.complete();
    }
  }
}
