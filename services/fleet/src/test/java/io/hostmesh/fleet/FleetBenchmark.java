package io.hostmesh.fleet;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The fleet's numbers (issue 14, "Measure"):
 * {@code ./bench.sh services/fleet io.hostmesh.fleet.FleetBenchmark [DEVICES_24H] [IDLE_DEVICES] [PROCESSES]}
 * (defaults 1000, 10000 and 10; {@code BENCH_JAVA_OPTS=-Xmx8g} for the second; 0 skips a part).
 *
 * <ol>
 *   <li>DEVICES_24H devices, 24 h of virtual time (boot, hourly fake-hwclock saves, chronyd's health
 *       checks and status polls, one config rollout), one partition per core: wall time, virtual
 *       seconds per wall second, virtual events per second;
 *   <li>IDLE_DEVICES devices booted and settled on one partition: heap in use after a full GC at
 *       virtual minute 10, per device, beside the heap before the fleet; boot of the whole fleet;
 *   <li>the alternative: PROCESSES {@code hostmesh run --profile sim} processes ({@link ProcessPerDevice}): boot
 *       to settled and RSS of each.
 * </ol>
 */
public final class FleetBenchmark {
  public static void main(String[] args) throws Exception {
    int day = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
    int idle = args.length > 1 ? Integer.parseInt(args[1]) : 10_000;
    int processes = args.length > 2 ? Integer.parseInt(args[2]) : 10;
    int cores = Runtime.getRuntime().availableProcessors();
    JsonObject base = new JsonObject().put("name", "bench").put("seed", 1).put("bootSpreadSeconds", 60)
        .put("mixes", new JsonArray()
            .add(new JsonObject().put("name", "rtc").put("share", 0.5).put("rtc", true).put("rtcDriftPpm", 30))
            .add(new JsonObject().put("name", "bare").put("share", 0.5).put("rtc", false)));

    if (day > 0) {
      day(day, cores, base);
    }
    if (idle <= 0) {
      alternative(processes, 0, 0);
      return; // the idle fleet skipped
    }
    long before = heapAfterGc();
    AtomicLong measured = new AtomicLong(-1);
    JsonObject idleRun = base.copy().put("devices", idle).put("durationSeconds", 660).put("bootSpreadSeconds", 60);
    long t1 = System.nanoTime();
    AtomicLong booted = new AtomicLong();
    runAll(Scenario.parse(idleRun.encode()), 1, new FleetPartition.Observer() {
      @Override
      public void progress(int partition, long t, int up, long tasks) {
        if (up == idle && booted.get() == 0) {
          booted.set(System.nanoTime());
        }
        if (t >= 600_000 && measured.get() < 0) {
          measured.set(heapAfterGc()); // on the partition's loop: the fleet stands still while it is measured
        }
      }
    });
    double idleWall = (System.nanoTime() - t1) / 1e9;
    long used = measured.get() - before;
    System.out.printf(Locale.ROOT, "%d idle devices on one partition: heap %.1f MB in use after GC (%.0f KB per device,"
        + " target <= 400 KB; before the fleet %.1f MB); whole fleet booted (60 s boot spread) after %.1f s wall;"
        + " 660 virtual s in %.1f s wall (%.0f virtual s per wall s)%n", idle, used / 1e6, used / 1024.0 / idle,
        before / 1e6, booted.get() == 0 ? -1 : (booted.get() - t1) / 1e9, idleWall, idleWall, 660 / idleWall);
    System.out.printf(Locale.ROOT, "JVM RSS now: %.0f MB%n", rssMb());
    alternative(processes, used / (double) idle, (booted.get() - t1) / 1e9);
  }

  /**
   * The alternative in the same run: one {@code hostmesh run --profile sim} process per device. The jar is
   * {@code -Dhostmesh.jar}, else {@code deploy/target/hostmesh.jar} when it was built, else this class path.
   */
  static void alternative(int processes, double fleetHeapPerDevice, double fleetBootSeconds) throws Exception {
    if (processes <= 0) {
      return;
    }
    Path repo = Path.of("").toAbsolutePath();
    while (repo != null && !Files.isRegularFile(repo.resolve("hostmesh"))) {
      repo = repo.getParent();
    }
    if (repo == null) {
      System.out.println("the alternative skipped: run from the repository (the hostmesh launcher holds the shipped flags)");
      return;
    }
    String named = System.getProperty("hostmesh.jar");
    Path jar = named != null ? Path.of(named) : repo.resolve("deploy/target/hostmesh.jar");
    ProcessPerDevice.Result p = ProcessPerDevice.run(processes, Files.isRegularFile(jar) ? jar : null, repo, 10);
    System.out.printf(Locale.ROOT, "the alternative, %d hostmesh run --profile sim processes started at once (%s):%n",
        p.devices(), p.how());
    System.out.println("  boot to settled: " + ProcessPerDevice.summary(p.bootSeconds(), "s")
        + (p.notSettled() > 0 ? "; " + p.notSettled() + " not settled within 180 s" : ""));
    System.out.println("  RSS each after 10 s idle: " + ProcessPerDevice.summary(p.rssMb(), "MB")
        + "; with its daemons (chronyd): " + ProcessPerDevice.summary(p.rssWithDaemonsMb(), "MB"));
    double meanRss = p.rssMb().stream().mapToDouble(Double::doubleValue).average().orElse(0);
    if (fleetHeapPerDevice <= 0) {
      return; // no idle fleet measured in this run
    }
    System.out.printf(Locale.ROOT, "  per device: a process %.0f MB RSS vs a fleet device %.0f KB of heap (%.0fx);"
        + " the whole fleet above booted in %.1f s wall%n", meanRss, fleetHeapPerDevice / 1024,
        meanRss * 1024 * 1024 / Math.max(1, fleetHeapPerDevice), fleetBootSeconds);
  }

  /** DEVICES_24H devices for 24 h of virtual time, one partition per core. */
  static void day(int day, int cores, JsonObject base) throws Exception {
    JsonObject dayRun = base.copy().put("devices", day).put("durationSeconds", 86_400)
        .put("events", new JsonArray().add(new JsonObject().put("at", 43_200).put("kind", "config-rollout")
            .put("share", 1).put("set", new JsonObject().put("hostname", "bench"))));
    long t0 = System.nanoTime();
    long cpu0 = cpuNanos();
    long gc0 = gcMillis();
    java.util.concurrent.atomic.AtomicLongArray loopCpu = new java.util.concurrent.atomic.AtomicLongArray(cores);
    PartitionResult r = runAll(Scenario.parse(dayRun.encode()), cores, new FleetPartition.Observer() {
      @Override
      public void progress(int partition, long t, int up, long tasks) {
        // on the partition's loop: its thread's CPU time so far
        loopCpu.set(partition, ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime());
      }
    });
    double wall = (System.nanoTime() - t0) / 1e9;
    double cpu = (cpuNanos() - cpu0) / 1e9;
    double gc = (gcMillis() - gc0) / 1e3;
    System.out.printf(Locale.ROOT, "%d devices x 24 h virtual, %d partitions: %.1f s wall (target <= 60 s), %.0f virtual s per wall s,"
        + " %d virtual events (%.0f/s), %d boots, %d configs applied, %d HTTPS syncs, %d NTP syncs%n", day, cores, wall,
        86_400 / wall, r.counter("virtualTasks"), r.counter("virtualTasks") / wall, r.counter("boots"),
        r.counter("config.applied"), r.histogram(PartitionResult.HTTPS_SYNC).getTotalCount(),
        r.histogram(PartitionResult.NTP_SYNC).getTotalCount());
    // the machine is shared: CPU seconds say what the run cost whatever else ran beside it
    System.out.printf(Locale.ROOT, "  %.1f s CPU of this JVM (GC and JIT included; %.1f us per virtual event), %.1f s"
        + " of it on the partitions' loops, %.1f s in GC; load average %.2f at the end%n", cpu,
        cpu * 1e6 / Math.max(1, r.counter("virtualTasks")), sum(loopCpu) / 1e9, gc, loadAverage());
    System.out.println("  CPU by thread kind (/proc): " + threadCpu());
    System.out.printf(Locale.ROOT, "devices per core at which 24 h virtual fits in 10 min wall: about %.0f"
        + " (by CPU time: %.0f)%n", day / (wall * cores) * 600, day / cpu * 600);
  }

  static PartitionResult runAll(Scenario s, int partitions, FleetPartition.Observer o) throws Exception {
    List<Future<PartitionResult>> runs = new ArrayList<>();
    for (PartitionSpec spec : PartitionSpec.split(s.json(), s.seed(), s.devices(), partitions)) {
      runs.add(FleetPartition.run(spec, o, -1));
    }
    Future.all(runs).toCompletionStage().toCompletableFuture().get(2, TimeUnit.HOURS);
    PartitionResult m = runs.get(0).result();
    for (int i = 1; i < runs.size(); i++) {
      m = PartitionResult.merge(m, runs.get(i).result());
    }
    return m;
  }

  static long cpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
  }

  static long sum(java.util.concurrent.atomic.AtomicLongArray a) {
    long s = 0;
    for (int i = 0; i < a.length(); i++) {
      s += a.get(i);
    }
    return s;
  }

  /** CPU seconds of this JVM's threads grouped by name (digits dropped), from /proc (JIT and GC threads included). */
  static String threadCpu() {
    java.util.Map<String, Double> by = new java.util.TreeMap<>();
    try (var tasks = java.nio.file.Files.list(java.nio.file.Path.of("/proc/self/task"))) {
      for (var t : tasks.toList()) {
        try {
          String name = java.nio.file.Files.readString(t.resolve("comm")).strip().replaceAll("[0-9]+", "#");
          String stat = java.nio.file.Files.readString(t.resolve("stat"));
          String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
          double sec = (Long.parseLong(f[11]) + Long.parseLong(f[12])) / 100.0; // utime + stime in ticks
          by.merge(name, sec, Double::sum);
        } catch (java.io.IOException | RuntimeException gone) {
          // the thread ended meanwhile
        }
      }
    } catch (java.io.IOException e) {
      return "unknown";
    }
    StringBuilder b = new StringBuilder();
    by.entrySet().stream().sorted((x, y) -> Double.compare(y.getValue(), x.getValue())).limit(6)
        .forEach(e -> b.append(String.format(Locale.ROOT, "%s %.1f s; ", e.getKey(), e.getValue())));
    return b.toString();
  }

  static long gcMillis() {
    long sum = 0;
    for (var gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      sum += Math.max(0, gc.getCollectionTime());
    }
    return sum;
  }

  static double loadAverage() {
    return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
  }

  static long heapAfterGc() {
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    var mem = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
    return mem.getUsed();
  }

  static double rssMb() {
    try {
      for (String l : java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/self/status"))) {
        if (l.startsWith("VmRSS:")) {
          return Long.parseLong(l.replaceAll("[^0-9]", "")) / 1024.0;
        }
      }
    } catch (java.io.IOException e) {
      return -1;
    }
    return -1;
  }
}
