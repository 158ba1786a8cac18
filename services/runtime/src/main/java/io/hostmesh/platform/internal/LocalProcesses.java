package io.hostmesh.platform.internal;

import io.hostmesh.platform.ProcessResult;
import io.hostmesh.platform.Processes;

import io.hostmesh.platform.EventLoops;
import io.netty.channel.IoEventLoop;
import io.netty.channel.unix.FileDescriptor;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * {@link Processes} on the local machine. Programs whose base name is in {@code recorded} are
 * not run: the call reports them to {@code onRecorded} and answers exit code 0 (sim profile).
 *
 * <p>{@link #run}: one bound on the whole run; on expiry the command is ended with its
 * descendants (SIGTERM, SIGKILL after a short grace; signals go only through
 * {@code Process}/{@code ProcessHandle} objects, never to a raw pid that may have been reaped and
 * reused) and the result says it timed out; output of any size is read while the program writes
 * it.
 *
 * <p>Threading: any thread may call every method. {@link #run} does not block its caller, and the
 * future completes on the caller's Vert.x context (from a thread outside Vert.x: on a context
 * {@code vertx.getOrCreateContext()} makes for the call). On an epoll loop (a device) no thread
 * waits for the command: {@link LoopCommand} starts it on {@link ParentDeath#SPAWNER} and the
 * loop reads its output from pipes of ours. Elsewhere (NIO, a worker context) {@link BoundedCommand}
 * waits for it and reads its output on {@link BoundedCommand#THREADS} (a pool that grows as
 * needed, so concurrent commands never starve each other, and a slow command never holds a
 * thread of Vert.x's worker pool).
 * {@code onRecorded} runs on the calling thread, before {@link #run} returns. {@link #spawn}
 * starts the program on {@link ParentDeath#SPAWNER}; its future completes on the caller's context.
 *
 * <p>A long-running program dies with the JVM even when the JVM is killed with SIGKILL (a crash,
 * the OOM killer), when no shutdown hook runs: it is started through {@code setpriv --pdeathsig
 * KILL} where util-linux's setpriv is installed ({@link ParentDeath}).
 */
public final class LocalProcesses implements Processes {
  private final Vertx vertx;
  private final Set<String> recorded;
  private final Consumer<List<String>> onRecorded;
  /** Long-running programs this device started and that still run: ended with the device. */
  private final Set<Process> spawned = ConcurrentHashMap.newKeySet();
  /** Ends them if the JVM exits without stopping the device; one per device, removed at close. */
  private Thread reaper;

  public LocalProcesses(Vertx vertx, Set<String> recorded, Consumer<List<String>> onRecorded) {
    this.vertx = vertx;
    this.recorded = Set.copyOf(recorded);
    this.onRecorded = onRecorded;
  }

  @Override
  public Future<ProcessResult> run(List<String> argv, Duration timeout) {
    List<String> cmd = List.copyOf(argv);
    if (cmd.isEmpty()) {
      return Future.failedFuture(new IllegalArgumentException("empty command"));
    }
    if (recorded.contains(Path.of(cmd.get(0)).getFileName().toString())) {
      onRecorded.accept(cmd);
      return Future.succeededFuture(new ProcessResult(cmd, 0, "", "", true));
    }
    Context caller = vertx.getOrCreateContext();
    IoEventLoop loop = EventLoops.epoll(caller);
    if (loop != null) {
      return LoopCommand.run(cmd, timeout, caller, loop);
    }
    Promise<ProcessResult> result = Promise.promise();
    BoundedCommand.THREADS.execute(() -> {
      try {
        ProcessResult r = BoundedCommand.run(cmd, timeout);
        caller.runOnContext(v -> result.complete(r));
      } catch (Exception e) {
        caller.runOnContext(v -> result.fail(e));
      }
    });
    return result.future();
  }

  @Override
  public Future<Process> spawn(List<String> argv, Map<String, String> environment) {
    return spawn(argv, environment, false, null);
  }

  /**
   * On an epoll loop the output pipe is one of our own, read by the caller's loop: the program's
   * standard output and error go to its write end (reopened through {@code /proc/self/fd}, so
   * the program gets a blocking descriptor of its own and we close ours once it runs).
   */
  @Override
  public Future<Process> spawnLines(List<String> argv, Map<String, String> environment, Context context,
      Consumer<String> onLine) {
    IoEventLoop loop = EventLoops.epoll(context);
    if (loop == null) {
      return spawn(argv, environment, true, null).map(p -> ThreadLines.drain(p, argv, context, onLine));
    }
    FileDescriptor[] pipe;
    try {
      pipe = FileDescriptor.pipe();
    } catch (IOException e) {
      return Future.failedFuture(e);
    }
    return spawn(argv, environment, true, writeEnd(pipe))
        .andThen(started -> closeQuietly(pipe[1])) // the program has its own copy
        .compose(p -> {
          try {
            PipeLines.read(loop, pipe[0], context, onLine);
            return Future.succeededFuture(p);
          } catch (IOException e) { // the loop is shutting down: nobody would read its output
            p.destroy();
            return Future.failedFuture(e);
          }
        }, e -> {
          closeQuietly(pipe[0]);
          return Future.failedFuture(e);
        });
  }

  /**
   * Starts {@code argv} on {@link ParentDeath#SPAWNER}; standard error into standard output when
   * {@code merged}, and that into {@code output} (appended) when given, else a pipe.
   */
  private Future<Process> spawn(List<String> argv, Map<String, String> environment, boolean merged, File output) {
    List<String> cmd = List.copyOf(argv);
    Context caller = vertx.getOrCreateContext();
    Promise<Process> started = Promise.promise();
    ParentDeath.SPAWNER.execute(() -> {
      try {
        ProcessBuilder pb = new ProcessBuilder(ParentDeath.wrap(cmd)); // may ask setpriv once: off the caller's loop
        pb.environment().putAll(environment);
        pb.redirectErrorStream(merged);
        if (output != null) {
          pb.redirectOutput(ProcessBuilder.Redirect.appendTo(output));
        }
        Process p = pb.start();
        track(p);
        caller.runOnContext(v -> started.complete(p));
      } catch (Throwable e) { // never let the spawner thread die: its children would die with it
        caller.runOnContext(v -> started.fail(e));
      }
    });
    return started.future();
  }

  /**
   * A program's own descriptor for a pipe's write end: the path reopens the pipe (blocking, as
   * programs expect), so ours can be closed once the program runs.
   */
  static File writeEnd(FileDescriptor[] pipe) {
    return new File("/proc/self/fd/" + pipe[1].intValue());
  }

  static void closeQuietly(FileDescriptor fd) {
    try {
      fd.close();
    } catch (IOException ignored) {
      // closed already
    }
  }

  private synchronized void track(Process p) {
    spawned.add(p);
    p.onExit().thenRun(() -> spawned.remove(p));
    if (reaper == null) {
      reaper = new Thread(this::killAll, "hostmesh-process-reaper");
      Runtime.getRuntime().addShutdownHook(reaper);
    }
  }

  /**
   * Ends every program this device spawned that still runs (their owners normally stop them
   * first): SIGTERM to each with its descendants, SIGKILL to what is left after a short grace.
   * Blocking; called when the device stops.
   */
  public synchronized void close() {
    if (reaper != null) {
      try {
        Runtime.getRuntime().removeShutdownHook(reaper);
      } catch (IllegalStateException shuttingDown) {
        // the hook runs now and does the same
      }
      reaper = null;
    }
    killAll();
  }

  private void killAll() {
    List<Process> live = List.copyOf(spawned);
    live.forEach(p -> {
      p.descendants().forEach(ProcessHandle::destroy);
      p.destroy();
    });
    for (Process p : live) {
      try {
        if (!p.waitFor(2, java.util.concurrent.TimeUnit.SECONDS)) {
          p.descendants().forEach(ProcessHandle::destroyForcibly);
          p.destroyForcibly().waitFor(2, java.util.concurrent.TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  @Override
  public boolean available(String program) {
    return onPath(program);
  }

  /** Whether a program is an executable path, or on the PATH (plus /usr/sbin and /sbin). */
  public static boolean onPath(String program) {
    if (program.contains("/")) {
      return Files.isExecutable(Path.of(program));
    }
    String path = System.getenv().getOrDefault("PATH", "/usr/sbin:/usr/bin:/sbin:/bin");
    for (String dir : (path + ":/usr/sbin:/sbin").split(":")) {
      if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, program))) {
        return true;
      }
    }
    return false;
  }
}
