package io.hostmesh.platform.internal;

import io.hostmesh.platform.ProcessResult;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs a short command with one bound on the whole run and ends it, with everything it started,
 * when the bound passes. Said once for the platform: {@link DeviceClock}, {@link HwclockRtc} and
 * {@link LocalProcesses} off an epoll loop use it; {@link LoopCommand}, the same run driven by an
 * epoll loop, shares its kill, its start and its outcome.
 *
 * <p>Threading: {@link #run} blocks its caller for at most the timeout, plus, when it has to
 * kill, twice {@link #KILL_GRACE} and up to a second for the output written before the kill.
 * Standard output and standard error are each read on their own thread of {@link #THREADS}, a
 * pool that grows as needed: a command never waits for a reader another command holds (a
 * bounded pool, such as the common ForkJoinPool or Vert.x's worker pool, deadlocks once every
 * thread waits for a reader queued behind it), and output larger than the pipe buffer (64 KiB)
 * is read while the program writes it, so the program never blocks on a full pipe.
 */
final class BoundedCommand {
  /** Time between SIGTERM and SIGKILL for a command that timed out. */
  static final Duration KILL_GRACE = Duration.ofMillis(500);
  /** Output kept per stream; the rest is read and counted, so the program never blocks. */
  static final int MAX_CAPTURE = 8 << 20;
  /** How long the output written before a kill may take to arrive. */
  static final Duration AFTER_KILL = Duration.ofSeconds(1);
  private static final AtomicInteger THREAD_NUMBER = new AtomicInteger();

  /**
   * Threads that wait for commands and read their output, as many as commands run at once; they
   * end after 5 s idle (not a cached pool's 60 s: a settled device runs a command every few
   * seconds at most and should not keep a burst's threads). Daemons, so a command left behind
   * never holds the JVM open.
   */
  static final ExecutorService THREADS = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 5, TimeUnit.SECONDS,
      new SynchronousQueue<>(), r -> {
        Thread t = new Thread(r, "hostmesh-process-" + THREAD_NUMBER.incrementAndGet());
        t.setDaemon(true);
        return t;
      });

  private BoundedCommand() {}

  /**
   * Runs {@code argv} (standard input {@code /dev/null}) and returns its outcome. When it has not
   * ended within {@code timeout}, or has ended but left a process holding its output open, the
   * result has {@code timedOut} set, exit code 124 (as timeout(1)) and what was read so far.
   *
   * @throws IOException when the program cannot be started; the message names it
   */
  static ProcessResult run(List<String> argv, Duration timeout) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    Process p = start(new ProcessBuilder(argv), argv);
    Capture out = new Capture(p.getInputStream());
    Capture err = new Capture(p.getErrorStream());
    THREADS.execute(out);
    THREADS.execute(err);
    try {
      boolean exited = p.waitFor(left(deadline), TimeUnit.NANOSECONDS);
      if (exited && out.await(left(deadline)) && err.await(left(deadline))) {
        return new ProcessResult(argv, p.exitValue(), out.text(), err.text(), false, false);
      }
      String why = "";
      long drainedBy = System.nanoTime();
      if (exited) {
        // a process it started in the background still has the pipe; it is no longer a
        // descendant (re-parented when the command ended), so nothing here can find it safely
        why = " (it exited with " + p.exitValue() + " but a process it left behind holds its output open)";
      } else {
        destroyTree(p);
        drainedBy = System.nanoTime() + AFTER_KILL.toNanos();
      }
      out.await(left(drainedBy));
      err.await(left(drainedBy));
      return timedOut(argv, timeout, why, out.text(), err.text());
    } catch (InterruptedException e) {
      destroyTree(p);
      throw e;
    }
  }

  /** The outcome of a command that timed out: exit code 124 (as timeout(1)), first a line saying so. */
  static ProcessResult timedOut(List<String> argv, Duration timeout, String why, String out, String err) {
    return new ProcessResult(argv, 124, out, "timed out after " + timeout.toMillis() + " ms" + why + "\n" + err,
        false, true);
  }

  /** Output kept, with a last line saying how much more was read and not kept. */
  static String text(ByteArrayOutputStream kept, long dropped) {
    String s = kept.toString(StandardCharsets.UTF_8);
    return dropped == 0 ? s : s + "\n[" + dropped + " more bytes not kept]\n";
  }

  /**
   * Starts {@code pb} (which runs {@code argv}) with standard input {@code /dev/null}.
   *
   * @throws IOException when the program cannot be started; the message names it
   */
  static Process start(ProcessBuilder pb, List<String> argv) throws IOException {
    try {
      return pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
    } catch (IOException e) {
      // the JDK says: Cannot run program "x": error=2, No such file or directory
      String msg = String.valueOf(e.getMessage());
      String why = !msg.contains("error=2,") ? msg
          : argv.get(0).contains("/") ? "no such file" : "not found on the PATH (" + System.getenv("PATH") + ")";
      throw new IOException("cannot run '" + argv.get(0) + "': " + why, e);
    }
  }

  private static long left(long deadline) {
    return Math.max(0, deadline - System.nanoTime());
  }

  /**
   * Ends a process and its descendants: SIGTERM to each descendant, then to the process; after
   * {@link #KILL_GRACE}, SIGKILL to whatever is still alive. Returns once the process is reaped
   * or another grace has passed.
   *
   * <p>Signals go only through {@link Process} and {@link ProcessHandle} objects, never to a raw
   * pid: the JDK reaps a child through its {@code Process} and does not signal it once reaped,
   * and a {@code ProcessHandle} of a descendant remembers the start time of its process and does
   * not signal a pid that now belongs to another process. A raw {@code kill(pid)} could hit an
   * unrelated process that got the pid after ours was reaped.
   */
  static void destroyTree(Process p) {
    // taken before the process dies: once it is gone its children are re-parented and no
    // longer its descendants
    List<ProcessHandle> tree = new ArrayList<>(p.descendants().toList());
    tree.forEach(ProcessHandle::destroy);
    p.destroy();
    List<CompletableFuture<?>> exits = new ArrayList<>();
    exits.add(p.onExit());
    tree.forEach(h -> exits.add(h.onExit()));
    boolean interrupted = awaitAll(exits, KILL_GRACE);
    if (p.isAlive()) {
      tree.addAll(p.descendants().toList()); // started during the grace
    }
    tree.forEach(ProcessHandle::destroyForcibly);
    p.destroyForcibly();
    try {
      if (!interrupted) {
        p.waitFor(KILL_GRACE.toMillis(), TimeUnit.MILLISECONDS);
      }
    } catch (InterruptedException e) {
      interrupted = true;
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  /** Waits until every future completes or {@code within} passes; returns true when interrupted. */
  private static boolean awaitAll(List<CompletableFuture<?>> futures, Duration within) {
    try {
      CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).get(within.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException | ExecutionException e) {
      // some are still alive: SIGKILL follows
    } catch (InterruptedException e) {
      return true;
    }
    return false;
  }

  /** Reads one stream to its end, keeping at most {@link #MAX_CAPTURE} bytes. */
  private static final class Capture implements Runnable {
    private final InputStream in;
    private final ByteArrayOutputStream kept = new ByteArrayOutputStream();
    private final CountDownLatch done = new CountDownLatch(1);
    private long dropped;

    Capture(InputStream in) {
      this.in = in;
    }

    @Override
    public void run() {
      byte[] buf = new byte[16384];
      try (in) {
        for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
          synchronized (this) {
            int keep = Math.min(n, MAX_CAPTURE - kept.size());
            kept.write(buf, 0, keep);
            dropped += n - keep;
          }
        }
      } catch (IOException e) {
        // the pipe broke: what was read so far is the output
      } finally {
        done.countDown();
      }
    }

    boolean await(long nanos) throws InterruptedException {
      return done.await(nanos, TimeUnit.NANOSECONDS);
    }

    synchronized String text() {
      return BoundedCommand.text(kept, dropped);
    }
  }
}
