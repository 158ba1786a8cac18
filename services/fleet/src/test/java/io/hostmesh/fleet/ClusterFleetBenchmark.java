package io.hostmesh.fleet;

import io.hostmesh.cli.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The cluster's numbers (issue 15, "Measure"):
 * {@code ./bench.sh services/fleet io.hostmesh.fleet.ClusterFleetBenchmark [DEVICES] [PARTITIONS]}
 * (defaults 200 and 6; the power-cut herd scenario, 2 h virtual).
 *
 * <p>The same fleet in one JVM (PARTITIONS partitions, one per core at a time), then with 1, 2
 * and 3 worker JVMs on 127.0.0.1 ({@code fleet worker --cores 1}, except 1 worker: all cores).
 * Prints wall time of the coordinator's run (from its first hand-out to the merged result; the
 * cluster join, a few seconds, is printed apart), devices per wall second, the ratio to the
 * single-JVM run, and the bytes on the bus per partition. On a 2-core machine the workers share
 * the cores, so the ratio is the coordination overhead, not a speed-up. Each report.json is
 * checked to be the single-JVM one byte for byte.
 */
public final class ClusterFleetBenchmark {
  private static final Pattern DONE = Pattern.compile("(\\d+) partitions on (\\d+) worker\\(s\\) in (\\d+) ms wall,"
      + " (\\d+) re-run, (\\d+) bytes on the bus \\((\\d+) per partition\\)");

  public static void main(String[] args) throws Exception {
    int devices = args.length > 0 ? Integer.parseInt(args[0]) : 200;
    int partitions = args.length > 1 ? Integer.parseInt(args[1]) : 6;
    Path tmp = Files.createTempDirectory("hostmesh-cluster-bench");
    try {
      String[] fleet = {"fleet", "run", "services/fleet/scenarios/power-cut-herd.json", "--devices",
          String.valueOf(devices), "--seed", "3", "--partitions", String.valueOf(partitions)};
      if (!Files.exists(Path.of(fleet[2]))) {
        fleet[2] = "scenarios/power-cut-herd.json";
      }
      // the one-JVM run in a fresh JVM with the workers' flags, so both start cold alike; its own
      // "done in N ms wall" (from the partitions' start to the merged result) is the figure
      String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
      List<String> argv = new ArrayList<>(List.of(java, "-XX:+UseParallelGC", "-cp", System.getProperty("java.class.path"),
          "io.hostmesh.cli.Main"));
      argv.addAll(Arrays.asList(concat(fleet, "--report", tmp.resolve("local").toString())));
      Process one = new ProcessBuilder(argv).redirectErrorStream(true).start();
      String oneSaid = new String(one.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      check(one.waitFor(600, TimeUnit.SECONDS) && one.exitValue() == 0, "the single-JVM run failed: " + oneSaid);
      Matcher local = Pattern.compile("done in (\\d+) ms wall").matcher(oneSaid);
      check(local.find(), "no 'done in' line: " + oneSaid);
      long localMs = Long.parseLong(local.group(1));
      int code;
      byte[] reference = Files.readAllBytes(tmp.resolve("local/report.json"));
      System.out.printf(Locale.ROOT, "one JVM:    %d devices, %d partitions: %6d ms wall, %6.1f devices/s%n",
          devices, partitions, localMs, devices * 1000.0 / localMs);
      Path secret = Files.writeString(tmp.resolve("secret"), "benchmark secret, loopback only");
      for (int workers = 1; workers <= 3; workers++) {
        List<WorkerJvm> procs = new ArrayList<>();
        try {
          int port = WorkerJvm.freePort();
          for (int i = 0; i < workers; i++) {
            procs.add(WorkerJvm.start("bench", port, secret, workers == 1 ? 0 : 1, "-XX:+UseParallelGC"));
          }
          for (WorkerJvm w : procs) {
            w.awaitUp(120);
          }
          StringWriter err = new StringWriter();
          long c0 = System.nanoTime();
          code = Main.execute(new PrintWriter(new StringWriter()), new PrintWriter(err, true), concat(fleet,
              "--report", tmp.resolve("c" + workers).toString(), "--cluster", "--cluster-name", "bench",
              "--cluster-port", String.valueOf(port), "--join", "127.0.0.1:" + port, "--secret-file", secret.toString()));
          long commandMs = (System.nanoTime() - c0) / 1_000_000;
          check(code == 0, "cluster run failed: " + err);
          Matcher m = DONE.matcher(err.toString());
          check(m.find(), "no summary line: " + err);
          long runMs = Long.parseLong(m.group(3));
          check(Arrays.equals(reference, Files.readAllBytes(tmp.resolve("c" + workers + "/report.json"))),
              "report.json differs from the single-JVM run with " + workers + " worker(s)");
          System.out.printf(Locale.ROOT, "%d worker(s): %6d ms wall (join %d ms), %6.1f devices/s, %.2fx the single JVM,"
                  + " %s bytes on the bus per partition, report.json identical%n", workers, runMs, commandMs - runMs,
              devices * 1000.0 / runMs, (double) runMs / localMs, m.group(6));
        } finally {
          for (WorkerJvm w : procs) {
            w.stop();
          }
        }
      }
    } finally {
      try (var walk = Files.walk(tmp)) {
        walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
    System.exit(0);
  }

  private static void check(boolean ok, String why) {
    if (!ok) {
      throw new IllegalStateException(why);
    }
  }

  private static String[] concat(String[] a, String... b) {
    String[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
