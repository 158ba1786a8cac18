package io.hostmesh.deploy.bench;

import io.hostmesh.cli.SimInit;
import io.hostmesh.cli.VertxSizing;
import io.hostmesh.mesh.EventLoopLag;
import io.hostmesh.mesh.Mesh;
import io.hostmesh.mesh.MeshSettings;
import io.hostmesh.platform.Profile;
import io.hostmesh.schema.ssh.SshSocketState;
import io.hostmesh.schema.ssh.SshTopics;
import io.hostmesh.spi.DemoHook;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Event-loop lag and Vert.x blocked-thread warnings (checker limit 50 ms) of one demo device in
 * this JVM, in three phases: the demo boot (every unit, local HTTPS endpoint and NTP server, cold
 * JVM), 1,000 config.json edits each waited for on disk, and 50 parallel SSH sessions through
 * ssh-socket. The probe is the one {@code hostmesh run} starts (a timer every 10 ms on each
 * event loop); Vert.x is sized from hostmesh.json as the CLI does (defaults: 2 loops).
 *
 * <p>usage: {@code ./bench.sh deploy io.hostmesh.deploy.bench.EventLoopLagBenchmark [EDITS] [SESSIONS]}
 */
public final class EventLoopLagBenchmark {
  /** Vert.x's blocked-thread checker logs through java.util.logging under this name. */
  static final String CHECKER_LOGGER = "io.vertx.core.impl.BlockedThreadChecker";

  private EventLoopLagBenchmark() {}

  public static void main(String[] args) throws Exception {
    int edits = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
    int sessions = args.length > 1 ? Integer.parseInt(args[1]) : 50;
    Path root = Files.createTempDirectory("hostmesh-lag-");
    try {
      run(root, edits, sessions);
    } finally {
      deleteTree(root); // whatever ended the run, a class missing from the class path included
    }
  }

  private static void run(Path root, int edits, int sessions) throws Exception {
    Files.createDirectories(root.resolve("etc/hostmesh"));
    Files.writeString(root.resolve("etc/hostmesh/hostmesh.json"), new JsonObject()
        .put("api", new JsonObject().put("port", -1))
        .put("vertx", new JsonObject().put("blockedThreadWarnMs", 50))
        .put("units", new JsonObject().put("ssh-socket", new JsonObject().put("port", 0))).encodePrettily());
    SimInit.init(root, Instant.now().minus(30, ChronoUnit.DAYS), 0);
    // a board without RTC, as `hostmesh demo`: the clock starts in 2000
    Files.writeString(root.resolve("var/lib/hostmesh/clock-offset-ms"),
        (Instant.parse("2000-01-01T00:00:00Z").toEpochMilli() - System.currentTimeMillis()) + "\n");
    MeshSettings settings = MeshSettings.load(Profile.SIM, root);
    VertxSizing sizing = new VertxSizing(settings);

    AtomicInteger warnings = new AtomicInteger();
    Logger checker = Logger.getLogger(CHECKER_LOGGER);
    checker.addHandler(new Handler() {
      @Override
      public void publish(LogRecord r) {
        if (String.valueOf(r.getMessage()).contains("has been blocked")) {
          warnings.incrementAndGet();
        }
      }

      @Override
      public void flush() { }

      @Override
      public void close() { }
    });
    // -Dbench.stacks=true: each blocked-thread warning carries the loop's stack (what held it)
    VertxOptions options = sizing.options();
    if (Boolean.getBoolean("bench.stacks")) {
      options.setWarningExceptionTime(sizing.blockedThreadWarnMs()).setWarningExceptionTimeUnit(TimeUnit.MILLISECONDS);
    }
    Vertx vertx = Vertx.vertx(options);
    LagSamples samples = new LagSamples();
    EventLoopLag lag = EventLoopLag.start(vertx, sizing.eventLoops(), Duration.ofMillis(10)).await();
    lag.addListener((loop, nanos) -> samples.add(nanos));
    // -Dbench.lagLog=FILE: every firing later than 5 ms, with the wall time it fired at and its
    // thread, to find in a flight recording what held that loop
    String lagLog = System.getProperty("bench.lagLog");
    java.io.PrintStream lateLog = lagLog == null ? null : new java.io.PrintStream(lagLog, StandardCharsets.UTF_8);
    if (lateLog != null) {
      lag.addListener((loop, nanos) -> {
        if (nanos > 5_000_000L) {
          synchronized (lateLog) {
            lateLog.printf("%s %d %s %.1f%n", Instant.now(), loop, Thread.currentThread().getName(), nanos / 1e6);
          }
        }
      });
    }
    System.out.printf("Vert.x: %d event loops (%d probed), %d workers, blocked-thread limit %d ms%n",
        sizing.eventLoops(), lag.threads().size(), sizing.workers(), sizing.blockedThreadWarnMs());
    List<DemoHook> hooks = new ArrayList<>();
    Mesh mesh = null;
    try {
      long t0 = System.nanoTime();
      for (DemoHook h : ServiceLoader.load(DemoHook.class)) {
        h.prepare(vertx, root).await();
        hooks.add(h);
      }
      mesh = Mesh.builder(vertx, settings).discover().logSink(l -> { }).build();
      mesh.start().await();
      mesh.whenSettled().await();
      report("demo boot (" + mesh.units().size() + " units, " + (System.nanoTime() - t0) / 1_000_000 + " ms)", samples, warnings);

      Path config = root.resolve("mnt/boot/config.json");
      for (int i = 1; i <= edits; i++) {
        editConfig(config, c -> { }, "lag-" + i);
        awaitFile(root.resolve("etc/hostname"), "lag-" + i + "\n");
      }
      report(edits + " config.json edits (hostname, each waited for on disk)", samples, warnings);

      Path key = root.resolve("bench-key");
      run(List.of("ssh-keygen", "-q", "-N", "", "-t", "ed25519", "-f", key.toString()));
      String pub = Files.readString(Path.of(key + ".pub")).strip();
      editConfig(config, c -> c.getJsonObject("os").put("sshKeys", new JsonArray().add(pub)), "lag-ssh");
      int port = mesh.bus().await(SshTopics.SOCKET_STATUS, s -> s.state() == SshSocketState.LISTENING).await().port();
      awaitSshLogin(port, key);
      samples.reset();
      warnings.set(0);
      ExecutorService clients = Executors.newFixedThreadPool(sessions);
      try {
        List<java.util.concurrent.Future<Integer>> results = new ArrayList<>();
        for (int i = 0; i < sessions; i++) {
          int n = i;
          results.add(clients.submit(() -> run(ssh(port, key, "echo", "ok-" + n))));
        }
        int failed = 0;
        for (var r : results) {
          failed += r.get(150, TimeUnit.SECONDS) == 0 ? 0 : 1;
        }
        report(sessions + " parallel SSH sessions (" + failed + " failed)", samples, warnings);
      } finally {
        clients.shutdownNow();
      }
    } finally {
      if (mesh != null) {
        mesh.stop().await();
      }
      Future.all(hooks.stream().map(DemoHook::close).toList()).otherwiseEmpty().await();
      lag.stop().await();
      vertx.close().await();
      if (lateLog != null) {
        lateLog.close();
      }
    }
  }

  /** The device root goes with the run (deepest first; what cannot be deleted is named). */
  private static void deleteTree(Path root) throws java.io.IOException {
    try (var paths = Files.walk(root)) {
      for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        try {
          Files.deleteIfExists(p);
        } catch (java.io.IOException e) {
          System.err.println("cannot delete " + p + ": " + e.getMessage());
        }
      }
    }
  }

  private static void report(String phase, LagSamples samples, AtomicInteger warnings) {
    if (System.getProperty("bench.lagLog") != null) {
      System.out.println("phase ends " + Instant.now() + ": " + phase);
    }
    long[] s = samples.drain();
    System.out.printf("%-64s lag p50 %6.2f ms  p99 %7.2f ms  max %7.2f ms  (%d samples)  blocked-thread warnings: %d%n",
        phase, pct(s, 0.50), pct(s, 0.99), s.length == 0 ? 0 : s[s.length - 1] / 1e6, s.length, warnings.getAndSet(0));
  }

  private static double pct(long[] sorted, double q) {
    return sorted.length == 0 ? 0 : sorted[Math.min(sorted.length - 1, (int) Math.ceil(q * sorted.length) - 1)] / 1e6;
  }

  /** Rewrites config.json as the OS suite does (temp file + rename) with a new hostname and one more change. */
  private static void editConfig(Path config, java.util.function.Consumer<JsonObject> change, String hostname) throws Exception {
    JsonObject c = new JsonObject(Files.readString(config));
    c.put("hostname", hostname);
    if (!c.containsKey("os")) {
      c.put("os", new JsonObject());
    }
    change.accept(c);
    Path tmp = config.resolveSibling("config.json.tmp");
    Files.writeString(tmp, c.encode());
    Files.move(tmp, config, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  private static void awaitFile(Path p, String content) throws Exception {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!content.equals(read(p))) {
      if (System.nanoTime() > end) {
        throw new IllegalStateException(p + " did not become " + content.strip() + " within 10 s");
      }
      LockSupport.parkNanos(50_000);
    }
  }

  private static String read(Path p) {
    try {
      return Files.readString(p);
    } catch (java.io.IOException e) {
      return "";
    }
  }

  /** The first login works once os-ssh-keys has applied config.json's key (bounded). */
  private static void awaitSshLogin(int port, Path key) throws Exception {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (run(ssh(port, key, "true")) != 0) {
      if (System.nanoTime() > end) {
        throw new IllegalStateException("no SSH login with the benchmark key within 60 s");
      }
      LockSupport.parkNanos(100_000_000L);
    }
  }

  private static List<String> ssh(int port, Path key, String... command) {
    List<String> argv = new ArrayList<>();
    // -Dbench.clientNice=N: the clients (remote machines on a real device) below the device
    // under test, to tell their CPU from the device's own
    if (Integer.getInteger("bench.clientNice", 0) > 0) {
      argv.addAll(List.of("nice", "-n", Integer.getInteger("bench.clientNice").toString()));
    }
    argv.addAll(List.of("ssh", "-F", "/dev/null", "-p", Integer.toString(port),
        "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null", "-o", "LogLevel=ERROR",
        "-o", "ConnectTimeout=30", "-i", key.toString(), "-o", "IdentitiesOnly=yes", "-o", "BatchMode=yes",
        "root@127.0.0.1"));
    argv.addAll(List.of(command));
    return argv;
  }

  /** Runs a program to its end (killed after 120 s); its exit code. */
  private static int run(List<String> argv) throws Exception {
    Process p = new ProcessBuilder(argv).redirectErrorStream(true).redirectInput(new File("/dev/null")).start();
    byte[] out = p.getInputStream().readAllBytes();
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly().waitFor();
      return -1;
    }
    if (p.exitValue() != 0 && Boolean.getBoolean("bench.verbose")) {
      System.err.println(argv + ": " + new String(out, StandardCharsets.UTF_8));
    }
    return p.exitValue();
  }

  /** Every lag sample of a phase (a phase is minutes at most: 100 samples a second per loop). */
  static final class LagSamples {
    private long[] values = new long[4096];
    private int size;

    synchronized void add(long nanos) {
      if (size == values.length) {
        values = java.util.Arrays.copyOf(values, size * 2);
      }
      values[size++] = nanos;
    }

    synchronized void reset() {
      size = 0;
    }

    /** The samples so far, sorted, and a fresh start. */
    synchronized long[] drain() {
      long[] out = java.util.Arrays.copyOf(values, size);
      size = 0;
      java.util.Arrays.sort(out);
      return out;
    }
  }
}
