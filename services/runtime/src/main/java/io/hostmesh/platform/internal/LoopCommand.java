package io.hostmesh.platform.internal;

import io.hostmesh.platform.LoopDescriptor;
import io.hostmesh.platform.ProcessResult;
import io.netty.channel.IoEventLoop;
import io.netty.channel.unix.FileDescriptor;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A short command run as {@link BoundedCommand} runs it (one bound on the whole run, the same
 * result, the same kill of the command and its descendants), without a thread that waits for it:
 * its standard output and error go to two pipes of ours that the caller's epoll loop reads, its
 * end is the JDK's own wait for the child (which every {@link Process} has), and its bound is a
 * timer. Before, each command held three threads for its run and five seconds after it (a waiter
 * and two readers); chrony's supervision runs one every few seconds.
 *
 * <p>Threading: {@link #run} may be called from any thread; the pipes and the program are made on
 * {@link ParentDeath#SPAWNER} (a fork and exec, a millisecond or two); everything after it runs
 * on {@code context}, whose event loop is {@code loop}, and the future completes there. Only a
 * command that timed out takes a thread, of {@link BoundedCommand#THREADS}, for its kill (up to
 * twice {@link BoundedCommand#KILL_GRACE}).
 */
final class LoopCommand {
  private final List<String> argv;
  private final Duration timeout;
  private final Context context;
  private final IoEventLoop loop;
  private final Promise<ProcessResult> result = Promise.promise();
  private Capture out;
  private Capture err;
  private Process process;
  private boolean exited;
  /** The bound passed while it ran: it is being (or has been) killed, the outcome is a timeout. */
  private boolean killed;
  /** The kill is over: the outcome follows once both pipes end, or when the drain timer fires. */
  private boolean killDone;
  private long timer = -1;

  private LoopCommand(List<String> argv, Duration timeout, Context context, IoEventLoop loop) {
    this.argv = argv;
    this.timeout = timeout;
    this.context = context;
    this.loop = loop;
  }

  /** Runs {@code argv} (standard input {@code /dev/null}); fails only when it cannot be started. */
  static Future<ProcessResult> run(List<String> argv, Duration timeout, Context context, IoEventLoop loop) {
    LoopCommand c = new LoopCommand(argv, timeout, context, loop);
    ParentDeath.SPAWNER.execute(c::start);
    return c.result.future();
  }

  /**
   * On the spawner: the pipes, the program with their write ends (then ours are closed), and the
   * wait for its end; the loop gets only the read ends to watch (what the loop runs per command
   * is kept small: it runs rarely, so mostly interpreted).
   */
  private void start() {
    FileDescriptor[] stdout = null;
    FileDescriptor[] stderr = null;
    try {
      stdout = FileDescriptor.pipe();
      stderr = FileDescriptor.pipe();
      Process p = BoundedCommand.start(new ProcessBuilder(argv)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(LocalProcesses.writeEnd(stdout)))
          .redirectError(ProcessBuilder.Redirect.appendTo(LocalProcesses.writeEnd(stderr))), argv);
      LocalProcesses.closeQuietly(stdout[1]);
      LocalProcesses.closeQuietly(stderr[1]);
      FileDescriptor out = stdout[0];
      FileDescriptor err = stderr[0];
      CompletableFuture<Process> end = p.onExit();
      context.runOnContext(v -> watch(p, end, out, err));
    } catch (Throwable e) { // never let the spawner thread die
      close(stdout);
      close(stderr);
      context.runOnContext(v -> result.fail(e));
    }
  }

  /** On the context: reads both pipes on the loop, hears of the end, starts the bound. */
  private void watch(Process p, CompletableFuture<Process> end, FileDescriptor stdout, FileDescriptor stderr) {
    process = p;
    // a pipe's end is heard on the loop outside any Vert.x context: the outcome is made on ours
    Runnable ended = () -> context.runOnContext(v -> check());
    out = new Capture(stdout, ended);
    err = new Capture(stderr, ended);
    try {
      out.watch(loop);
      err.watch(loop);
    } catch (IOException e) { // the loop is shutting down: nobody would read the output
      out.close();
      err.close();
      BoundedCommand.THREADS.execute(() -> BoundedCommand.destroyTree(p));
      result.fail(e);
      return;
    }
    end.thenRun(() -> context.runOnContext(v -> {
      exited = true;
      check();
    }));
    timer = context.owner().setTimer(Math.max(1, timeout.toMillis()), t -> {
      timer = -1;
      bound();
    });
  }

  /** Completes once the program ended (or its kill is over) and both pipes are at their end. */
  private void check() {
    if (result.future().isComplete() || !out.ended() || !err.ended()) {
      return;
    }
    if (killed) {
      if (killDone) {
        cancelTimer();
        timedOut("");
      }
    } else if (exited) {
      cancelTimer();
      result.complete(new ProcessResult(argv, process.exitValue(), out.text(), err.text(), false, false));
    }
  }

  /** The bound has passed: kill what still runs (off the loop), then give up on the pipes. */
  private void bound() {
    if (result.future().isComplete()) {
      return;
    }
    if (exited) {
      // a process it started in the background still has a pipe; it is no longer a descendant
      // (re-parented when the command ended), so nothing here can find it safely; our read ends
      // close, so it no longer holds anything of ours
      timedOut(" (it exited with " + process.exitValue() + " but a process it left behind holds its output open)");
      return;
    }
    killed = true;
    BoundedCommand.THREADS.execute(() -> {
      BoundedCommand.destroyTree(process);
      context.runOnContext(v -> {
        killDone = true;
        // what the command wrote before the kill may still be on its way
        timer = context.owner().setTimer(BoundedCommand.AFTER_KILL.toMillis(), t -> {
          timer = -1;
          timedOut("");
        });
        check();
      });
    });
  }

  private void timedOut(String why) {
    if (result.future().isComplete()) {
      return;
    }
    out.close();
    err.close();
    result.complete(BoundedCommand.timedOut(argv, timeout, why, out.text(), err.text()));
  }

  private void cancelTimer() {
    if (timer >= 0) {
      context.owner().cancelTimer(timer);
      timer = -1;
    }
  }

  private static void close(FileDescriptor[] pipe) {
    if (pipe != null) {
      LocalProcesses.closeQuietly(pipe[0]);
      LocalProcesses.closeQuietly(pipe[1]);
    }
  }

  /**
   * One pipe read to its end on the loop, keeping at most {@link BoundedCommand#MAX_CAPTURE}
   * bytes. Reads go through one buffer per loop thread (a read completes before the next starts).
   */
  private static final class Capture extends LoopDescriptor {
    private static final ThreadLocal<ByteBuffer> BUFFER = ThreadLocal.withInitial(() -> ByteBuffer.allocateDirect(16 * 1024));
    private static final ThreadLocal<byte[]> CHUNK = ThreadLocal.withInitial(() -> new byte[16 * 1024]);
    private final ByteArrayOutputStream kept = new ByteArrayOutputStream();
    private long dropped;
    private final Runnable onEnd;
    private boolean end;

    Capture(FileDescriptor fd, Runnable onEnd) {
      super(fd);
      this.onEnd = onEnd;
    }

    void watch(IoEventLoop loop) throws IOException {
      register(loop);
    }

    @Override
    protected void readable() {
      ByteBuffer buffer = BUFFER.get();
      byte[] chunk = CHUNK.get();
      end = readAvailable(buffer, n -> {
        int keep = (int) Math.min(n, BoundedCommand.MAX_CAPTURE - kept.size());
        buffer.get(0, chunk, 0, keep);
        kept.write(chunk, 0, keep);
        dropped += n - keep;
      });
      if (end) {
        close();
        onEnd.run();
      }
    }

    boolean ended() {
      return end;
    }

    String text() {
      return BoundedCommand.text(kept, dropped);
    }
  }
}
