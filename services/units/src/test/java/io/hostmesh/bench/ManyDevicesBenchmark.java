package io.hostmesh.bench;

import io.hostmesh.schema.targets.Target;
import io.hostmesh.schema.targets.Targets;
import io.hostmesh.testing.SimDevice;
import io.hostmesh.unit.support.BuildTime;
import io.hostmesh.unit.support.TimeFormats;
import io.hostmesh.units.network.NetworkUnit;
import io.hostmesh.units.time.BuildTimeInit;
import io.hostmesh.units.time.FakeHwclock;
import io.hostmesh.units.time.FakeHwclockUpdate;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.lang.management.ManagementFactory;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Many idle sim devices on one Vert.x (virtual time; build time, fake-hwclock, the hourly save
 * and the network on each): the time to boot them all to settled, the heap each keeps while
 * idle (heap after GC with the fleet up, less before, divided by the count), and the classes
 * that make up that heap (a class histogram of this JVM taken before and after, via jcmd).
 * A warm-up fleet runs first, so class loading and JIT are not counted.
 *
 * <p>usage: {@code ./bench.sh services/units io.hostmesh.bench.ManyDevicesBenchmark [DEVICES] [ROUNDS]}
 */
public final class ManyDevicesBenchmark {
  private ManyDevicesBenchmark() {}

  public static void main(String[] args) throws Exception {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 100;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2).setWorkerPoolSize(4).setInternalBlockingPoolSize(4));
    try {
      for (int r = 0; r < rounds; r++) {
        List<SimDevice> fleet = new ArrayList<>();
        long heapBefore = heapAfterGc();
        Map<String, long[]> histBefore = r == rounds - 1 ? histogram() : Map.of();
        long t0 = System.nanoTime();
        boot(vertx, n, fleet);
        long bootMs = (System.nanoTime() - t0) / 1_000_000;
        long heapUp = heapAfterGc();
        int threads = ManagementFactory.getThreadMXBean().getThreadCount();
        System.out.printf("round %d: %d devices booted to settled in %d ms (%.2f ms each); idle heap %d KB more = %.1f KB per device; %d threads%n",
            r + 1, n, bootMs, bootMs / (double) n, (heapUp - heapBefore) / 1024, (heapUp - heapBefore) / 1024.0 / n, threads);
        if (r == rounds - 1) {
          printTop(histBefore, histogram(), n);
        }
        Future.all(fleet.stream().map(SimDevice::stop).toList()).await();
        fleet.forEach(SimDevice::close);
      }
    } finally {
      vertx.close().await();
    }
  }

  static void boot(Vertx vertx, int n, List<SimDevice> fleet) {
    Instant build = Instant.now().plus(400, ChronoUnit.DAYS);
    for (int i = 0; i < n; i++) {
      fleet.add(SimDevice.builder(vertx).virtualTime()
          .unit(BuildTimeInit::new).unit(FakeHwclock::new).unit(FakeHwclockUpdate::new).unit(NetworkUnit::new)
          .external(Targets.TIME_SYNC_HTTPS_WAIT)
          .file(BuildTime.FILE, TimeFormats.stamp(build.plus(i, ChronoUnit.DAYS)) + "\n").build());
    }
    Future.all(fleet.stream().map(SimDevice::start).toList()).await();
    fleet.forEach(d -> d.bus().publish(Targets.TIME_SYNC_HTTPS_WAIT, new Target("time-sync-https-wait", Instant.now(), 0)));
    Future.all(fleet.stream().map(d -> d.mesh().whenSettled()).toList()).await();
  }

  static long heapAfterGc() {
    long least = Long.MAX_VALUE;
    for (int i = 0; i < 5; i++) {
      System.gc();
      least = Math.min(least, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
    }
    return least;
  }

  /** Class name → {instances, bytes}, from {@code jcmd PID GC.class_histogram} (which collects first). */
  static Map<String, long[]> histogram() throws Exception {
    Process p = new ProcessBuilder("jcmd", Long.toString(ProcessHandle.current().pid()), "GC.class_histogram")
        .redirectErrorStream(true).start();
    Map<String, long[]> out = new HashMap<>();
    for (String line : new String(p.getInputStream().readAllBytes()).split("\n")) {
      String[] f = line.trim().split("\\s+");
      if (f.length >= 4 && f[0].endsWith(":")) {
        out.put(f[3], new long[] {Long.parseLong(f[1]), Long.parseLong(f[2])});
      }
    }
    p.waitFor();
    return out;
  }

  static void printTop(Map<String, long[]> before, Map<String, long[]> after, int n) {
    List<Map.Entry<String, long[]>> grown = new ArrayList<>();
    after.forEach((k, v) -> {
      long[] b = before.getOrDefault(k, new long[2]);
      grown.add(Map.entry(k, new long[] {v[0] - b[0], v[1] - b[1]}));
    });
    grown.sort((a, b) -> Long.compare(b.getValue()[1], a.getValue()[1]));
    long total = grown.stream().mapToLong(e -> Math.max(0, e.getValue()[1])).sum();
    System.out.printf("what the idle fleet holds (class histogram, after - before, %d KB in all):%n", total / 1024);
    for (var e : grown.subList(0, Math.min(15, grown.size()))) {
      System.out.printf("  %8.1f KB  %6.1f per device  %s%n", e.getValue()[1] / 1024.0, e.getValue()[0] / (double) n, e.getKey());
    }
  }
}
