package io.hostmesh.deploy.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Start → ready and resident memory of {@code hostmesh demo --exit-when-ready}: default JVM flags
 * against the shipped small-device flags with the AppCDS archive (made first with
 * {@code -XX:ArchiveClassesAtExit} during one demo run, as deploy/systemd/make-cds-archive.sh does).
 * "Ready" is {@code target time-set reached} (when the service sends READY=1); "settled" is the
 * line {@code all N units settled} (it includes the wait for HTTPS time sync and host-key
 * generation). RSS is VmHWM (peak) read when settled.
 *
 * <p>usage: {@code ./bench.sh deploy io.hostmesh.deploy.bench.StartupBenchmark [JAR] [RUNS]}
 */
public final class StartupBenchmark {
  /** The flags deploy/systemd/hostmesh.service and the image use. */
  static final List<String> TUNED = List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xss256k", "-XX:-UsePerfData",
      "-Xms8m", "-Xmx48m", "-XX:MaxMetaspaceSize=64m", "-XX:ReservedCodeCacheSize=16m",
      "-XX:-UseNotificationThread", "-XX:-MethodFlushing");

  private StartupBenchmark() {}

  public static void main(String[] args) throws Exception {
    Path jar = Path.of(args.length > 0 ? args[0] : "deploy/target/hostmesh.jar").toAbsolutePath();
    int runs = args.length > 1 ? Integer.parseInt(args[1]) : 5;
    Path dir = Files.createTempDirectory("hostmesh-cds-");
    Path jsa = dir.resolve("hostmesh.jsa");
    try {
      List<String> dump = new ArrayList<>(TUNED);
      dump.add("-XX:ArchiveClassesAtExit=" + jsa);
      run(jar, dump); // makes the archive
      System.out.printf("AppCDS archive: %d KB%n", Files.size(jsa) / 1024);
      List<String> tunedCds = new ArrayList<>(TUNED);
      tunedCds.add("-XX:SharedArchiveFile=" + jsa);
      run(jar, List.of()); // warm the page cache for both
      measure("default flags", jar, List.of(), runs);
      measure("tuned flags", jar, TUNED, runs);
      measure("tuned flags + AppCDS", jar, tunedCds, runs);
    } finally { // the archive goes with the run
      Files.deleteIfExists(jsa);
      Files.deleteIfExists(dir);
    }
  }

  static void measure(String label, Path jar, List<String> flags, int runs) throws Exception {
    long[] ms = new long[runs];
    long[] kb = new long[runs];
    long[] settled = new long[runs];
    for (int i = 0; i < runs; i++) {
      long[] r = run(jar, flags);
      ms[i] = r[0];
      kb[i] = r[1];
      settled[i] = r[2];
    }
    java.util.Arrays.sort(ms);
    java.util.Arrays.sort(kb);
    java.util.Arrays.sort(settled);
    System.out.printf("%-22s start->ready (time-set) median %5d ms (min %d, max %d)   all settled %5d ms   peak RSS %4d MB   [%d runs]%n",
        label, ms[runs / 2], ms[0], ms[runs - 1], settled[runs / 2], kb[runs / 2] / 1024, runs);
  }

  /** One demo run: {ms to ready, peak RSS KB, ms to all settled}. */
  static long[] run(Path jar, List<String> flags) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(flags);
    cmd.addAll(List.of("-jar", jar.toString(), "demo", "--exit-when-ready"));
    long t0 = System.nanoTime();
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    long ready = -1;
    long settled = -1;
    long rss = -1;
    try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      for (String l; (l = r.readLine()) != null; ) {
        if (ready < 0 && l.contains("target time-set")) {
          ready = (System.nanoTime() - t0) / 1_000_000;
        }
        if (settled < 0 && l.startsWith("all ") && l.contains("units settled")) {
          settled = (System.nanoTime() - t0) / 1_000_000;
          rss = peakRssKb(p.pid());
        }
      }
    }
    int code = p.waitFor();
    // exit 1 = some unit failed (e.g. chronyd without a reachable source); still a full boot
    if (ready < 0 || settled < 0 || code > 1) {
      throw new IllegalStateException("demo did not get ready (exit " + code + "): " + cmd);
    }
    return new long[] {ready, rss, settled};
  }

  static long peakRssKb(long pid) throws IOException {
    for (String l : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
      if (l.startsWith("VmHWM:")) {
        return Long.parseLong(l.replaceAll("[^0-9]", ""));
      }
    }
    return -1;
  }
}
