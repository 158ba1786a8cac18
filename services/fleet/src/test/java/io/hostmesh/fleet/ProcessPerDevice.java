package io.hostmesh.fleet;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The alternative to a fleet a user has today: one {@code hostmesh run --profile sim} process per
 * device (deploy/bench/footprint.sh's approach): N device roots laid out by {@code hostmesh sim
 * init} with free API and SSH ports ({@code --port 0 --ssh-port 0}, so they never collide), N runs
 * started at once with the shipped JVM flags (the launcher's {@code flags=(...)}, and its AppCDS
 * archive when there is one), each timed from its start until {@code /health} says settled, then
 * its RSS (and its daemons') after {@code idleSeconds}. Everything is stopped (SIGTERM, then
 * SIGKILL after 30 s) and the roots removed, also when the benchmark is interrupted.
 */
final class ProcessPerDevice {
  private static final Pattern SETTLED = Pattern.compile("\"settled\"\\s*:\\s*true");

  record Device(Path root, Process process, long startedNanos) {}

  record Result(int devices, String how, List<Double> bootSeconds, List<Double> rssMb, List<Double> rssWithDaemonsMb,
      int notSettled) {}

  private ProcessPerDevice() {}

  /** {@code jar} the shaded hostmesh.jar, or null to run the benchmark's own class path (io.hostmesh.cli.Main). */
  static Result run(int n, Path jar, Path repo, int idleSeconds) throws Exception {
    List<String> java = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
    java.addAll(shippedFlags(repo));
    String how;
    Path jsa = repo.resolve("deploy/target/hostmesh.jsa");
    if (jar != null) {
      if (Files.exists(jsa) && Files.getLastModifiedTime(jsa).compareTo(Files.getLastModifiedTime(jar)) > 0) {
        java.add("-XX:SharedArchiveFile=" + jsa);
      }
      java.addAll(List.of("-jar", jar.toString()));
      how = jar + " with the shipped flags" + (java.stream().anyMatch(a -> a.startsWith("-XX:SharedArchiveFile")) ? " and AppCDS" : "");
    } else {
      java.addAll(List.of("-cp", System.getProperty("java.class.path"), "io.hostmesh.cli.Main"));
      how = "the fleet module's class path (no ssh-socket, udev-applier; no AppCDS) with the shipped flags";
    }
    List<Device> devices = new java.util.concurrent.CopyOnWriteArrayList<>();
    List<Path> roots = new java.util.concurrent.CopyOnWriteArrayList<>();
    Thread cleanup = new Thread(() -> stopAll(devices, roots), "process-per-device-cleanup");
    Runtime.getRuntime().addShutdownHook(cleanup);
    try {
      for (int i = 0; i < n; i++) {
        Path root = Files.createTempDirectory("hostmesh-bench-");
        roots.add(root);
        List<String> init = new ArrayList<>(java);
        init.addAll(List.of("sim", "init", root.toString(), "--port", "0", "--ssh-port", "0"));
        Process p = new ProcessBuilder(init).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
          p.destroyForcibly();
          throw new IllegalStateException("hostmesh sim init " + root + " failed");
        }
      }
      for (Path root : roots) { // all at once, as a fleet boots
        List<String> cmd = new ArrayList<>(java);
        cmd.addAll(List.of("run", "--profile", "sim", "--root", root.toString()));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
            .redirectOutput(root.resolve("run.log").toFile()).start();
        devices.add(new Device(root, p, System.nanoTime()));
      }
      HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
      List<Double> boot = new ArrayList<>();
      int notSettled = 0;
      for (Device d : devices) {
        double s = settle(d, http, 180);
        if (s < 0) {
          notSettled++;
        } else {
          boot.add(s);
        }
      }
      devices.get(0).process().waitFor(idleSeconds, TimeUnit.SECONDS); // idle: what a settled device holds
      List<Double> rss = new ArrayList<>();
      List<Double> withDaemons = new ArrayList<>();
      for (Device d : devices) {
        double own = rssMb(d.process().pid());
        rss.add(own);
        withDaemons.add(own + d.process().descendants().mapToDouble(h -> rssMb(h.pid())).sum());
      }
      return new Result(n, how, boot, rss, withDaemons, notSettled);
    } finally {
      stopAll(devices, roots);
      try {
        Runtime.getRuntime().removeShutdownHook(cleanup);
      } catch (IllegalStateException shuttingDown) {
        // the hook runs now
      }
    }
  }

  /** Seconds from its start until /health says settled; -1 when it did not within {@code maxSeconds}. */
  private static double settle(Device d, HttpClient http, int maxSeconds) throws Exception {
    Path portFile = d.root().resolve("run/hostmesh/api.port");
    long deadline = d.startedNanos() + TimeUnit.SECONDS.toNanos(maxSeconds);
    while (System.nanoTime() < deadline && d.process().isAlive()) {
      if (Files.exists(portFile)) {
        try {
          String port = Files.readString(portFile).strip();
          HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health"))
              .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
          if (SETTLED.matcher(r.body()).find()) {
            return (System.nanoTime() - d.startedNanos()) / 1e9;
          }
        } catch (IOException | NumberFormatException notYet) {
          // the API is not up yet, or the port file half written
        }
      }
      d.process().waitFor(50, TimeUnit.MILLISECONDS); // a timed wait that ends early if the process dies
    }
    return -1;
  }

  private static void stopAll(List<Device> devices, List<Path> roots) {
    long t0 = System.nanoTime();
    for (Device d : devices) {
      d.process().destroy(); // SIGTERM: units stop in order, chronyd with them
    }
    int killed = 0;
    for (Device d : devices) {
      try {
        long left = TimeUnit.SECONDS.toNanos(60) - (System.nanoTime() - t0);
        if (!d.process().waitFor(Math.max(0, left), TimeUnit.NANOSECONDS)) {
          killed++;
          d.process().descendants().forEach(ProcessHandle::destroyForcibly);
          d.process().destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    if (!devices.isEmpty()) {
      System.out.printf(Locale.ROOT, "  stopped in %.1f s (SIGTERM; %d killed after 60 s)%n",
          (System.nanoTime() - t0) / 1e9, killed);
    }
    for (Path root : roots) {
      try (Stream<Path> walk = Files.walk(root)) {
        walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      } catch (IOException | RuntimeException gone) {
        // already removed
      }
      if (Files.exists(root)) {
        System.out.println("  could not remove " + root + " (remove it by hand)");
      }
    }
  }

  /** The launcher's {@code flags=(...)}, as deploy/bench/shipped-flags.sh prints them. */
  static List<String> shippedFlags(Path repo) throws IOException {
    Matcher m = Pattern.compile("(?m)^flags=\\((.*)\\)$").matcher(Files.readString(repo.resolve("hostmesh")));
    return m.find() ? List.of(m.group(1).trim().split("\\s+")) : List.of();
  }

  static double rssMb(long pid) {
    try {
      for (String l : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
        if (l.startsWith("VmRSS:")) {
          return Long.parseLong(l.replaceAll("[^0-9]", "")) / 1024.0;
        }
      }
    } catch (IOException | RuntimeException gone) {
      return 0;
    }
    return 0;
  }

  static String summary(List<Double> xs, String unit) {
    if (xs.isEmpty()) {
      return "none";
    }
    List<Double> s = xs.stream().sorted().toList();
    double mean = s.stream().mapToDouble(Double::doubleValue).average().orElse(0);
    return String.format(Locale.ROOT, "mean %.1f %s, median %.1f, min %.1f, max %.1f", mean, unit, s.get(s.size() / 2),
        s.get(0), s.get(s.size() - 1));
  }
}
