package io.hostmesh.fleet;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * A {@code hostmesh fleet worker} in a JVM of its own on 127.0.0.1, with this JVM's class path,
 * and what it has said so far (a reader thread collects its output), for ClusterFleetIT and
 * ClusterFleetBenchmark.
 */
record WorkerJvm(Process process, List<String> said) {
  static WorkerJvm start(String cluster, int port, Path secret, int cores, String... jvmFlags) throws Exception {
    List<String> argv = new ArrayList<>();
    argv.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    argv.addAll(List.of(jvmFlags));
    argv.addAll(List.of("-cp", System.getProperty("java.class.path"), "io.hostmesh.cli.Main", "fleet", "worker",
        "--cluster-name", cluster, "--cluster-port", String.valueOf(port), "--join", "127.0.0.1:" + port,
        "--secret-file", secret.toString(), "--cores", String.valueOf(cores)));
    Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
    List<String> lines = new CopyOnWriteArrayList<>();
    Thread t = new Thread(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
        for (String l; (l = r.readLine()) != null; ) {
          lines.add(l);
        }
      } catch (Exception e) {
        // the worker ended (or was killed): its output ends here
      }
    });
    t.setDaemon(true);
    t.start();
    return new WorkerJvm(p, lines);
  }

  /** Polls (at most {@code seconds}) until the worker is a member of the cluster. */
  void awaitUp(long seconds) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (said.stream().noneMatch(l -> l.contains("member at"))) {
      if (System.nanoTime() > deadline || !process.isAlive()) {
        throw new IllegalStateException("the worker did not come up within " + seconds + " s: " + said);
      }
      TimeUnit.MILLISECONDS.sleep(50); // polling a child's output with a deadline
    }
  }

  /** SIGTERM (it leaves the cluster), then SIGKILL after 30 s. */
  void stop() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      process.destroyForcibly();
    }
  }

  static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }
}
