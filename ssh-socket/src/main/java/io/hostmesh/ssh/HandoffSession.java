package io.hostmesh.ssh;

import java.time.Duration;
import io.hostmesh.platform.Scheduler;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.Executor;

/**
 * One connection given to its own {@code sshd -i} as standard input and output, as systemd does
 * for {@code sshd@.service} ({@code StandardInput=socket}). The bytes never pass through the JVM:
 * the kernel's own buffering is the back-pressure, and the client leaving is seen by sshd itself.
 * This session holds a descriptor of the connection to count bytes (TCP_INFO) and to close it once
 * sshd is reaped.
 *
 * <p>Threading: the event loop of {@code context}; spawning runs on {@code spawner}, reaping and
 * stderr reading on {@code pumps}. The descriptor is only closed on the event loop and never
 * while a spawn that uses it is running.
 */
final class HandoffSession extends SshSession {
  private static final Duration KILL_AFTER = Duration.ofSeconds(5);
  private static final int SIGTERM = 15;
  private static final int SIGKILL = 9;

  private final Context context;
  private final Executor spawner;
  private final Executor pumps;
  /** sshd's CPU priority ({@link SshSocketSettings#nice()}), set on it once spawned. */
  private final int nice;
  private final Scheduler realTime;
  /** Held while sshd is signalled and while it is reaped: a signal never reaches a reaped (reusable) pid. */
  private final Object reaping = new Object();
  private boolean reaped;
  private final Promise<Void> clientLeft = Promise.promise();

  private int fd;
  private boolean spawning;
  private boolean closeRequested;
  private long pid = -1;
  private boolean exited;
  private Traffic finalTraffic = new Traffic(0, 0);

  HandoffSession(long id, HandoffListener.Accepted connection, Context context, Executor spawner, Executor pumps,
      int nice, long openedAtMillis, Scheduler realTime) {
    super(id, connection.remote(), openedAtMillis);
    this.nice = nice;
    this.fd = connection.fd();
    this.context = context;
    this.spawner = spawner;
    this.pumps = pumps;
    this.realTime = realTime;
  }

  @Override
  Traffic traffic() {
    if (fd < 0) {
      return finalTraffic;
    }
    long[] b = NativeSpawn.tcpBytes(fd);
    return new Traffic(b[0], b[1]);
  }

  /** Never completes: nothing here reads the connection, so a client leaving early goes unseen until sshd starts. */
  @Override
  Future<Void> clientLeft() {
    return clientLeft.future();
  }

  @Override
  Future<Long> start(List<String> argv) {
    if (fd < 0) {
      return Future.failedFuture("connection already closed");
    }
    spawning = true;
    Promise<Long> started = Promise.promise();
    int connection = fd;
    // the event loop only queues the spawn: the pool threads that read stderr and reap are
    // started from the spawning thread (a new thread is a clone(), slow when the CPU is busy)
    spawner.execute(() -> {
      NativeSpawn.Spawned s;
      try {
        s = NativeSpawn.spawn(connection, argv, System.getenv());
      } catch (IOException | RuntimeException e) {
        context.runOnContext(v -> {
          spawning = false;
          started.fail(e.getMessage());
        });
        return;
      }
      NativeSpawn.lowerPriority(s.pid(), nice); // when it cannot: at the mesh's priority, still working
      // onSpawned is queued on the context before the exit can be: it always runs first
      context.runOnContext(v -> onSpawned(s, started));
      pumps.execute(() -> SshSession.drainStderr(s.stderr(), line -> lastStderrLine = line));
      pumps.execute(() -> {
        NativeSpawn.awaitExit(s.pid());
        int code;
        synchronized (reaping) {
          reaped = true;
          code = NativeSpawn.waitFor(s.pid());
        }
        context.runOnContext(v -> onExit(code));
      });
    });
    return started.future();
  }

  @Override
  void abort(String why) {
    reason = why;
    if (!spawning) {
      closeConnection();
      finished.tryComplete();
    } else {
      closeRequested = true;
    }
  }

  @Override
  void close(String why) {
    if (reason == null) {
      reason = why;
    }
    if (spawning) {
      closeRequested = true;
    } else if (pid > 0 && !exited) {
      terminate();
    } else if (pid < 0) {
      closeConnection();
      finished.tryComplete();
    }
  }

  private void onSpawned(NativeSpawn.Spawned s, Promise<Long> started) {
    spawning = false;
    pid = s.pid();
    started.complete(pid);
    if (closeRequested) {
      terminate();
    }
  }

  private void onExit(int code) {
    exited = true;
    exitCode = code;
    if (reason == null) {
      reason = "sshd closed the connection";
    }
    closeConnection();
    finished.tryComplete();
  }

  /** SIGTERM to sshd (KillMode=process: its children are left alone), SIGKILL if it lingers. */
  private void terminate() {
    signal(SIGTERM);
    realTime.schedule(KILL_AFTER, () -> {
      if (!exited) {
        signal(SIGKILL);
      }
    });
  }

  private void signal(int signal) {
    synchronized (reaping) {
      if (!reaped) {
        NativeSpawn.signal((int) pid, signal);
      }
    }
  }

  private void closeConnection() {
    if (fd >= 0) {
      finalTraffic = traffic();
      NativeSpawn.close(fd);
      fd = -1;
    }
  }
}
