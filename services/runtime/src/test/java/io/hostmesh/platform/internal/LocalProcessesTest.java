package io.hostmesh.platform.internal;

import io.hostmesh.platform.Poll;
import io.hostmesh.platform.ProcessResult;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.hostmesh.platform.EventLoops;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Real processes on a real Vert.x, on both transports: on epoll (a device) the caller's loop reads
 * the output and no thread waits ({@link LoopCommand}); on NIO a thread of
 * {@link BoundedCommand#THREADS} waits and reads.
 */
@Timeout(60)
class LocalProcessesTest {
  private static final int MIB = 1 << 20;
  private Vertx vertx;

  private Vertx vertx(String transport) {
    vertx = Vertx.vertx(new VertxOptions().setPreferNativeTransport(transport.equals("epoll")));
    Context context = vertx.getOrCreateContext();
    assertEquals(transport.equals("epoll"), EventLoops.epoll(context) != null,
        transport + ": " + vertx.unavailableNativeTransportCause());
    return vertx;
  }

  @AfterEach
  void stop() throws Exception {
    if (vertx != null) {
      vertx.close().await(10, TimeUnit.SECONDS);
    }
  }

  private static <T> T get(Future<T> f) throws Exception {
    return f.await(30, TimeUnit.SECONDS);
  }

  private static List<ProcessHandle> sleepers(String seconds) {
    return ProcessHandle.current().descendants()
        .filter(h -> h.info().command().orElse("").endsWith("/sleep"))
        .filter(h -> h.info().arguments().map(a -> List.of(a).equals(List.of(seconds))).orElse(false))
        .toList();
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"epoll", "nio"})
  void aTimeoutKillsTheCommandAndEveryDescendant(String transport) throws Exception {
    Vertx vertx = vertx(transport);
    LocalProcesses processes = new LocalProcesses(vertx, Set.of(), argv -> { });
    // a shell with a background and a foreground child, waiting for both
    Future<ProcessResult> run = processes.run(List.of("sh", "-c", "sleep 977 & sleep 977; wait"), Duration.ofSeconds(2));
    List<ProcessHandle> children = new ArrayList<>();
    get(Poll.until(vertx, Duration.ofSeconds(10), Duration.ofMillis(10), "both sleeps started", () -> {
      children.clear();
      children.addAll(sleepers("977"));
      return children.size() == 2;
    }));

    ProcessResult r = get(run);

    assertTrue(r.timedOut(), r.toString());
    assertFalse(r.ok());
    assertEquals(124, r.exitCode());
    assertTrue(r.stderr().startsWith("timed out after 2000 ms"), r.stderr());
    // killed children are reaped by init, which may take a moment; the handles keep their
    // start times, so a reused pid does not count as alive
    get(Poll.until(vertx, Duration.ofSeconds(5), Duration.ofMillis(10), "every descendant ended",
        () -> children.stream().noneMatch(ProcessHandle::isAlive)));
    assertEquals(List.of(), sleepers("977"));
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"epoll", "nio"})
  void outputLargerThanThePipeArrivesWholeOnBothStreamsAtOnce(String transport) throws Exception {
    Vertx vertx = vertx(transport);
    LocalProcesses processes = new LocalProcesses(vertx, Set.of(), argv -> { });
    String script = "head -c " + MIB + " /dev/zero | tr '\\0' a & head -c " + MIB + " /dev/zero | tr '\\0' b >&2; wait";

    ProcessResult r = get(processes.run(List.of("sh", "-c", script), Duration.ofSeconds(30)));

    assertTrue(r.ok(), r.stderr().length() + " bytes of stderr, exit " + r.exitCode());
    assertEquals(MIB, r.stdout().length());
    assertEquals(MIB, r.stderr().length());
    assertTrue(r.stdout().chars().allMatch(c -> c == 'a'));
    assertTrue(r.stderr().chars().allMatch(c -> c == 'b'));
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"epoll", "nio"})
  void manyConcurrentCommandsAllCompleteAndHoldNoVertxWorker(String transport) throws Exception {
    Vertx vertx = vertx(transport);
    LocalProcesses processes = new LocalProcesses(vertx, Set.of(), argv -> { });
    int n = 24; // more than Vert.x's 20 worker threads
    List<Future<ProcessResult>> runs = new ArrayList<>();
    AtomicLong firstDone = new AtomicLong(Long.MAX_VALUE);
    for (int i = 0; i < n; i++) {
      // each writes more than a pipe holds, then stays a while so that all run at the same time
      String script = "head -c 200000 /dev/zero | tr '\\0' x; echo; echo done $0; sleep 2";
      runs.add(processes.run(List.of("sh", "-c", script, "c" + i), Duration.ofSeconds(40))
          .onComplete(ar -> firstDone.accumulateAndGet(System.nanoTime(), Math::min)));
    }
    // the pool of Vert.x's blocking work is still free while every command runs
    long blockingRan = get(vertx.executeBlocking(System::nanoTime, false));
    assertTrue(blockingRan < firstDone.get(), "executeBlocking had to wait for a command to finish");

    for (int i = 0; i < n; i++) {
      ProcessResult r = get(runs.get(i));
      assertTrue(r.ok(), r.toString());
      assertEquals(200000 + "\ndone c".length() + String.valueOf(i).length() + 1, r.stdout().length());
      assertTrue(r.stdout().endsWith("\ndone c" + i + "\n"), "command " + i);
    }
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"epoll", "nio"})
  void theFutureCompletesOnTheCallersContext(String transport) throws Exception {
    Vertx vertx = vertx(transport);
    LocalProcesses processes = new LocalProcesses(vertx, Set.of(), argv -> { });
    Context caller = vertx.getOrCreateContext();
    Promise<Context> seen = Promise.promise();
    caller.runOnContext(v -> processes.run(List.of("true"), Duration.ofSeconds(10))
        .onComplete(ar -> seen.complete(Vertx.currentContext())));
    assertSame(caller, get(seen.future()));
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"epoll", "nio"})
  void aMissingProgramIsReportedByName(String transport) throws Exception {
    Vertx vertx = vertx(transport);
    LocalProcesses processes = new LocalProcesses(vertx, Set.of(), argv -> { });

    Throwable bare = get(processes.run(List.of("hostmesh-no-such-program", "x"), Duration.ofSeconds(10))
        .transform(ar -> Future.succeededFuture(ar.cause())));
    Throwable path = get(processes.run(List.of("/nonexistent/hostmesh-tool"), Duration.ofSeconds(10))
        .transform(ar -> Future.succeededFuture(ar.cause())));

    if (bare == null || path == null) {
      fail("a missing program ran: " + bare + ", " + path);
    }
    assertTrue(bare.getMessage().startsWith("cannot run 'hostmesh-no-such-program': not found on the PATH"),
        bare.getMessage());
    assertEquals("cannot run '/nonexistent/hostmesh-tool': no such file", path.getMessage());
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"epoll", "nio"})
  void recordedCommandsAreReportedAndNotRun(String transport, @TempDir Path dir) throws Exception {
    Vertx vertx = vertx(transport);
    List<List<String>> recorded = new CopyOnWriteArrayList<>();
    LocalProcesses processes = new LocalProcesses(vertx, Set.of("touch", "udevadm"), recorded::add);
    Path marker = dir.resolve("ran");

    ProcessResult bare = get(processes.run(List.of("touch", marker.toString()), Duration.ofSeconds(10)));
    ProcessResult full = get(processes.run(List.of("/usr/bin/touch", marker.toString()), Duration.ofSeconds(10)));
    ProcessResult other = get(processes.run(List.of("true"), Duration.ofSeconds(10)));

    assertTrue(bare.recorded() && bare.ok(), bare.toString());
    assertTrue(full.recorded() && full.ok(), full.toString());
    assertFalse(other.recorded());
    assertFalse(Files.exists(marker), "a recorded command ran");
    assertEquals(List.of(List.of("touch", marker.toString()), List.of("/usr/bin/touch", marker.toString())), recorded);
  }

  /**
   * The output ends after the command has exited (a background child writes last): the outcome
   * waits for it, and is still made on the caller's context (a pipe's end is heard on the loop
   * outside any context; the outcome made there once reached listeners without one).
   */
  @Test
  void onEpollOutputEndingAfterTheExitIsWaitedForOnTheCallersContext() throws Exception {
    Vertx vertx = vertx("epoll");
    LocalProcesses processes = new LocalProcesses(vertx, Set.of(), argv -> { });
    Context caller = vertx.getOrCreateContext();
    Promise<Context> seen = Promise.promise();
    Promise<ProcessResult> result = Promise.promise();

    caller.runOnContext(v -> processes.run(List.of("sh", "-c", "(sleep 0.3; echo late; echo err >&2) & exit 0"),
        Duration.ofSeconds(10)).onComplete(ar -> {
          seen.complete(Vertx.currentContext());
          result.handle(ar);
        }));

    ProcessResult r = get(result.future());
    assertTrue(r.ok(), r.toString());
    assertEquals("late\n", r.stdout());
    assertEquals("err\n", r.stderr());
    assertSame(caller, get(seen.future()));
  }

  /**
   * On epoll only: the pipes are ours, so their end is the end of every process holding them. The
   * JDK's own pipes (NIO) end when the command exits, unless a reader is inside read() at that
   * moment ({@link BoundedCommandTest} covers that case).
   */
  @Test
  void onEpollTheBoundCoversOutputThatAProcessLeftBehindHoldsOpen() throws Exception {
    Vertx vertx = vertx("epoll");
    LocalProcesses processes = new LocalProcesses(vertx, Set.of(), argv -> { });
    get(processes.run(List.of("true"), Duration.ofSeconds(10))); // what a first command starts for good
    Set<String> pipesBefore = Pipes.ours();

    // the shell ends at once; its background sleep keeps both pipes for a minute
    ProcessResult r = get(processes.run(List.of("sh", "-c", "sleep 61 & echo $!"), Duration.ofSeconds(1)));

    Optional<ProcessHandle> leftBehind = ProcessHandle.of(Long.parseLong(r.stdout().trim()));
    try {
      assertTrue(r.timedOut(), r.toString());
      assertTrue(r.stderr().startsWith("timed out after 1000 ms (it exited with 0 but a process it left behind"
          + " holds its output open)"), r.stderr());
      // our read ends are closed with the outcome: nothing of ours stays with the sleep (pipes are
      // compared, not counts: a class loaded for the first time may open a jar for good)
      Set<String> held = Pipes.of(leftBehind.orElseThrow().pid());
      Set<String> ours = Pipes.ours();
      assertFalse(held.isEmpty(), "the sleep holds no pipe");
      assertTrue(Collections.disjoint(held, ours), "pipes the sleep holds, still open here: " + held + " / " + ours);
      assertEquals(pipesBefore, ours, "our pipes before and after");
    } finally {
      // it is no longer our descendant; end it here, by its handle, if it is still our sleep
      leftBehind.filter(h -> h.info().command().orElse("").endsWith("/sleep")).ifPresent(ProcessHandle::destroyForcibly);
    }
  }

  @Test
  void onEpollNoThreadWaitsForACommandAndNoDescriptorIsLeft() throws Exception {
    Vertx vertx = vertx("epoll");
    LocalProcesses processes = new LocalProcesses(vertx, Set.of(), argv -> { });
    get(processes.run(List.of("true"), Duration.ofSeconds(10))); // the JDK's own classes and threads
    Set<String> before = commandThreads();
    Set<String> pipesBefore = Pipes.ours();

    List<Future<ProcessResult>> runs = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      runs.add(processes.run(List.of("sh", "-c", "echo out $0; echo err $0 >&2; sleep 0.2; exit 3", "c" + i),
          Duration.ofSeconds(20)));
    }
    for (int i = 0; i < runs.size(); i++) {
      ProcessResult r = get(runs.get(i));
      assertEquals(3, r.exitCode());
      assertEquals("out c" + i + "\n", r.stdout());
      assertEquals("err c" + i + "\n", r.stderr());
    }

    Set<String> started = commandThreads();
    started.removeAll(before);
    assertEquals(Set.of(), started, "threads started to wait for or read commands");
    assertEquals(pipesBefore, Pipes.ours(), "our pipes before and after 8 commands");
  }

  /** Threads of {@link BoundedCommand#THREADS} alive now, by name (each name is used once). */
  private static Set<String> commandThreads() {
    return Thread.getAllStackTraces().keySet().stream().map(Thread::getName)
        .filter(n -> n.startsWith("hostmesh-process-")).collect(Collectors.toSet());
  }
}
