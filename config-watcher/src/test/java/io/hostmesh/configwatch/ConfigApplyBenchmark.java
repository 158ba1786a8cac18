package io.hostmesh.configwatch;

import io.hostmesh.testing.SimDevice;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.locks.LockSupport;

/**
 * config.json write (temp file + rename, as the OS suite does) → every affected file on disk
 * (etc/hostname, run/dnsmasq.servers, the NetworkManager fragment), over 1,000 edits after 100
 * warm-up edits, default watcher settings (debounce 2 ms). Run with
 * {@code ./bench.sh config-watcher io.hostmesh.configwatch.ConfigApplyBenchmark [edits] [debounceMillis]}.
 */
public final class ConfigApplyBenchmark {
  private ConfigApplyBenchmark() {}

  public static void main(String[] args) throws Exception {
    int edits = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
    long debounce = args.length > 1 ? Long.parseLong(args[1]) : 2;
    int warmup = 100;
    Vertx vertx = Vertx.vertx();
    Path root = root(System.getProperty("bench.root"));
    try (SimDevice dev = ConfigRoot.device(vertx).settings(s -> s.getJsonObject("units")
        .getJsonObject(ConfigWatcher.NAME).put("debounceMillis", debounce)).file(ConfigRoot.CONFIG, doc(0))
        .root(root).build()) {
      dev.start().await();
      ConfigRoot.awaitFile(dev, "/etc/hostname", "bench-0\n");
      long[] nanos = new long[edits];
      for (int i = 1; i <= warmup + edits; i++) {
        long t0 = System.nanoTime();
        ConfigRoot.write(dev, doc(i));
        waitFor(dev, i, t0);
        if (i > warmup) {
          nanos[i - warmup - 1] = System.nanoTime() - t0;
        }
      }
      Arrays.sort(nanos);
      System.out.printf("config.json edit -> hostname + dnsmasq.servers + NM fragment on disk, %d edits, debounce %d ms:%n",
          edits, debounce);
      System.out.printf("  p50 %.2f ms  p90 %.2f ms  p99 %.2f ms  max %.2f ms%n", ms(nanos, 0.50), ms(nanos, 0.90),
          ms(nanos, 0.99), nanos[edits - 1] / 1e6);
      dev.stop().await();
    } finally {
      vertx.close().await();
      if (System.getProperty("bench.root") == null) { // our temp folder goes with the run
        try (var walk = Files.walk(root)) {
          walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
      }
    }
  }

  /** -Dbench.root=/dev/shm/x puts the device root on another file system; default a temp folder. */
  private static Path root(String dir) throws IOException {
    return dir == null ? Files.createTempDirectory("hostmesh-bench-") : Files.createDirectories(Path.of(dir));
  }

  static String doc(int i) {
    return "{\"uuid\":\"0123456789abcdef\",\"hostname\":\"bench-" + i + "\",\"dnsServers\":\"127.0.0." + (i % 250 + 1)
        + "\",\"os\":{\"network\":{\"connectivity\":{\"uri\":\"http://127.0.0.1/check-" + i + "\"}}}}";
  }

  private static void waitFor(SimDevice dev, int i, long t0) throws IOException {
    Path hostname = dev.path("/etc/hostname");
    Path dns = dev.path("/run/dnsmasq.servers");
    Path nm = dev.path("/etc/NetworkManager/conf.d/os-networkmanager.conf");
    String h = "bench-" + i + "\n";
    String d = "\nserver=127.0.0." + (i % 250 + 1) + "\n";
    String u = "uri=http://127.0.0.1/check-" + i + "\n";
    while (!(h.equals(read(hostname)) && d.equals(read(dns)) && read(nm).contains(u))) {
      if (System.nanoTime() - t0 > 10_000_000_000L) {
        throw new IllegalStateException("edit " + i + " not applied within 10 s");
      }
      LockSupport.parkNanos(50_000);
    }
  }

  private static String read(Path p) throws IOException {
    try {
      return Files.readString(p);
    } catch (java.nio.file.NoSuchFileException e) {
      return "";
    }
  }

  private static double ms(long[] sorted, double q) {
    return sorted[Math.min(sorted.length - 1, (int) Math.ceil(q * sorted.length) - 1)] / 1e6;
  }
}
