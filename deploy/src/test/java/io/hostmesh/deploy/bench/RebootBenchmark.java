package io.hostmesh.deploy.bench;

import io.hostmesh.hostos.BootEnv;
import io.hostmesh.hostos.SimLifecycle;
import io.hostmesh.hostos.SimOs;
import io.hostmesh.mesh.Mesh;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The reboot cycle of a sim device in one process, with every unit of the distribution: from the
 * reboot request (stop in reverse order → bootloader step → new mesh) until every unit of the new
 * boot has settled; median and p99 over N reboots (default 100), and RSS and threads after the
 * first reboot and after the last. Not a test: run it with the deploy test class path, e.g.
 * {@code java -cp deploy/target/test-classes:<test class path> io.hostmesh.deploy.bench.RebootBenchmark 100}.
 */
public final class RebootBenchmark {
  private RebootBenchmark() {}

  public static void main(String[] args) throws Exception {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 100;
    Path dir = Files.createTempDirectory("hostmesh-bench-");
    Vertx vertx = Vertx.vertx();
    try {
      var init = io.hostmesh.cli.Main.execute(new java.io.PrintWriter(java.io.OutputStream.nullOutputStream()),
          new java.io.PrintWriter(System.err, true), "sim", "init", dir.resolve("dev").toString(), "--port", "0",
          "--ssh-port", "0");
      if (init != 0) {
        throw new IllegalStateException("sim init failed: " + init);
      }
      Path root = dir.resolve("dev");
      SimLifecycle dev = SimLifecycle.builder(vertx, root).logSink(l -> { })
          .layout(SimOs.DEFAULT_VERSION, BootEnv.Kind.UBOOT).build();
      dev.start().await();
      settle(dev.awaitBoot(1).await());
      List<Long> micros = new ArrayList<>();
      long rss1 = 0;
      long threads1 = 0;
      long heap1 = 0;
      for (int i = 2; i <= n + 1; i++) {
        long t0 = System.nanoTime();
        dev.reboot("benchmark").await();
        settle(dev.awaitBoot(i).await(60, TimeUnit.SECONDS));
        micros.add((System.nanoTime() - t0) / 1000);
        if (i == 2) {
          rss1 = status("VmRSS");
          threads1 = status("Threads");
          heap1 = heapAfterGc();
        }
        int done = i - 1;
        if (done == 10 || done == 50 || done % 100 == 0) { // where RSS stands on the way: growth or a plateau
          System.out.printf("after %d reboots: RSS %d kB, heap used after GC %d kB, %d threads%n", done,
              status("VmRSS"), heapAfterGc(), status("Threads"));
        }
      }
      long heapN = heapAfterGc();
      long rssN = status("VmRSS");
      long threadsN = status("Threads");
      dev.powerOff("benchmark done").await();
      List<Long> sorted = new ArrayList<>(micros);
      Collections.sort(sorted);
      System.out.printf("reboots: %d; cycle (reboot request → all settled): median %.1f ms, p99 %.1f ms, max %.1f ms%n",
          n, sorted.get(n / 2) / 1000.0, sorted.get(Math.min(n - 1, (int) Math.ceil(n * 0.99) - 1)) / 1000.0,
          sorted.get(n - 1) / 1000.0);
      System.out.printf("after 1 reboot: RSS %d kB, heap used after GC %d kB, %d threads; after %d: RSS %d kB, heap %d kB,"
          + " %d threads%n", rss1, heap1, threads1, n, rssN, heapN, threadsN);
    } finally {
      vertx.close().await();
      try (Stream<Path> walk = Files.walk(dir)) {
        walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  private static void settle(Mesh m) throws Exception {
    m.whenSettled().await(60, TimeUnit.SECONDS);
  }

  /** Heap in use after a full collection, in kB (what the device keeps, unlike RSS, which the JVM does not give back). */
  private static long heapAfterGc() {
    System.gc();
    Runtime r = Runtime.getRuntime();
    return (r.totalMemory() - r.freeMemory()) / 1024;
  }

  /** A field of /proc/self/status in kB or a count. */
  private static long status(String field) throws java.io.IOException {
    for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
      if (line.startsWith(field + ":")) {
        return Long.parseLong(line.replaceAll("[^0-9]", ""));
      }
    }
    return -1;
  }
}
