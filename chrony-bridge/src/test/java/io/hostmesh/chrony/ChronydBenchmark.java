package io.hostmesh.chrony;

import io.hostmesh.demo.LocalNtpServer;

import io.hostmesh.schema.targets.Targets;
import io.hostmesh.unit.RestartPolicy;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * chronyd start → time-sync, and the bridge at idle. Run with
 * {@code ./bench.sh chrony-bridge io.hostmesh.chrony.ChronydBenchmark [runs] [idleSeconds]}.
 *
 * <p>Start → time-sync: from latching time-sync-https-wait to time-sync, a real chronyd pair on
 * loopback ({@code iburst minpoll -2}), default bridge settings (status polled every second until
 * the first sync). Idle: one synced device with the spec's intervals (health check 120 s, status
 * 16 s); CPU of the JVM (with its reaped chronyc children) and of chronyd over the window, and RSS.
 */
public final class ChronydBenchmark {
  private ChronydBenchmark() {}

  public static void main(String[] args) throws Exception {
    int runs = args.length > 0 ? Integer.parseInt(args[0]) : 5;
    int idleSeconds = args.length > 1 ? Integer.parseInt(args[1]) : 60;
    try (LocalNtpServer server = new LocalNtpServer("127.0.0.2").start()) {
      List<Long> millis = new ArrayList<>();
      for (int i = 0; i <= runs; i++) {
        // a Vertx per run: the bus, and its latched time-sync, belongs to one Vertx
        Vertx vertx = Vertx.vertx();
        JsonObject settings = new JsonObject().put("servers", new JsonArray().add(server.serverLine()));
        try (ChronyDevice d = new ChronyDevice(vertx, RestartPolicy.always(ChronydUnit.RESTART_SEC), settings, null)) {
          d.dev.start().await(20, TimeUnit.SECONDS);
          long t0 = System.nanoTime();
          d.dev.bus().publish(Targets.TIME_SYNC_HTTPS_WAIT,
              new io.hostmesh.schema.targets.Target("time-sync-https-wait", java.time.Instant.now(), 0));
          d.dev.await(Targets.TIME_SYNC, t -> true).await(60, TimeUnit.SECONDS);
          long ms = (System.nanoTime() - t0) / 1_000_000;
          if (i > 0) { // the first run warms the JVM up
            millis.add(ms);
          }
          if (i == runs) {
            idle(d, vertx, idleSeconds);
          }
        } finally {
          vertx.close().await(20, TimeUnit.SECONDS);
        }
      }
      Collections.sort(millis);
      System.out.printf("start -> time-sync (ms, %d runs): min %d, median %d, max %d%n", millis.size(),
          millis.get(0), millis.get(millis.size() / 2), millis.get(millis.size() - 1));
    }
  }

  private static void idle(ChronyDevice d, Vertx vertx, int seconds) throws Exception {
    long chronyd = d.pid();
    // let the start settle (first health check, first status polls) before measuring
    vertx.timer(5_000).await();
    long[] jvm0 = cpuTicks(Path.of("/proc/self/stat"));
    long[] c0 = cpuTicks(Path.of("/proc/" + chronyd + "/stat"));
    long t0 = System.nanoTime();
    vertx.timer(seconds * 1000L).await();
    double wall = (System.nanoTime() - t0) / 1e9;
    long[] jvm1 = cpuTicks(Path.of("/proc/self/stat"));
    long[] c1 = cpuTicks(Path.of("/proc/" + chronyd + "/stat"));
    double hz = 100.0; // USER_HZ on Linux
    double jvmSelf = ((jvm1[0] + jvm1[1]) - (jvm0[0] + jvm0[1])) / hz;
    double jvmChildren = ((jvm1[2] + jvm1[3]) - (jvm0[2] + jvm0[3])) / hz;
    double chronydCpu = ((c1[0] + c1[1]) - (c0[0] + c0[1])) / hz;
    System.out.printf("idle %.0f s: bridge JVM CPU %.2f s (%.3f%%), chronyc children %.2f s, chronyd %.2f s%n",
        wall, jvmSelf, 100 * jvmSelf / wall, jvmChildren, chronydCpu);
    System.out.printf("RSS: bridge JVM %d MB (whole test JVM: Vert.x, mesh, one unit), chronyd %d MB%n",
        rssKb(Path.of("/proc/self/status")) / 1024, rssKb(Path.of("/proc/" + chronyd + "/status")) / 1024);
  }

  /** utime, stime, cutime, cstime of a /proc stat file, in clock ticks. */
  private static long[] cpuTicks(Path stat) throws java.io.IOException {
    String s = Files.readString(stat);
    String[] f = s.substring(s.lastIndexOf(')') + 2).split(" ");
    // after "pid (comm) ": state is field 3; utime..cstime are fields 14..17
    return new long[] {Long.parseLong(f[11]), Long.parseLong(f[12]), Long.parseLong(f[13]), Long.parseLong(f[14])};
  }

  private static long rssKb(Path status) throws java.io.IOException {
    for (String line : Files.readAllLines(status)) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", ""));
      }
    }
    return -1;
  }
}
