package io.hostmesh.ssh;

import static io.hostmesh.ssh.SshFixture.ALICE;

import io.hostmesh.testing.SimDevice;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The activator against sshd listening on its own ({@code sshd -D -p PORT}, same config, same
 * keys), in one run: connect → {@code echo ok} latency, and bulk throughput each way.
 * Targets: latency ≤ 1.1×, throughput ≥ 0.9× of direct sshd.
 *
 * <p>Run: {@code ./bench.sh ssh-socket io.hostmesh.ssh.SshSocketBenchmark [rounds] [megabytes]};
 * {@code -Dbench.stdio=pipe} and {@code -Dbench.bulkRounds=N} through {@code JAVA_TOOL_OPTIONS}.
 */
public final class SshSocketBenchmark {
  private static final int WARMUP_TRANSFERS = Integer.getInteger("bench.warmup", 4);
  private static final int BULK_ROUNDS = Integer.getInteger("bench.bulkRounds", 5);
  /** {@code -Dbench.stdio=pipe} measures the pipe fallback instead of the handed-over socket. */
  private static final String STDIO = System.getProperty("bench.stdio", "auto");

  private SshSocketBenchmark() {}

  public static void main(String[] args) throws Exception {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 40;
    int megabytes = args.length > 1 ? Integer.parseInt(args[1]) : 512;
    Vertx vertx = Vertx.vertx();
    SimDevice dev = SshFixture.device(vertx, new JsonObject().put("stdio", STDIO), false);
    Process direct = null;
    try {
      SshFixture.configure(dev, List.of(SshFixture.publicKey(ALICE)), false);
      int activated = SshFixture.start(dev);
      int directPort = freePort();
      direct = new ProcessBuilder("/usr/sbin/sshd", "-D", "-p", Integer.toString(directPort),
          "-f", dev.path("/etc/ssh/sshd_config_readonly").toString(),
          "-o", "ListenAddress=127.0.0.1", "-o", "PidFile=none").inheritIO().start();
      awaitListening(directPort);
      System.out.printf("cores %d, rounds %d, bulk %d MB, stdio %s%n", Runtime.getRuntime().availableProcessors(), rounds,
          megabytes, STDIO);

      // warm both paths: on 2 cores the JIT compiler, still busy with the pumps, would take a core from ssh
      for (int i = 0; i < 5; i++) {
        check(SshFixture.ssh(activated, ALICE, "echo", "ok"));
        check(SshFixture.ssh(directPort, ALICE, "echo", "ok"));
      }
      for (int i = 0; i < WARMUP_TRANSFERS; i++) {
        download(activated, megabytes);
        upload(activated, megabytes);
      }
      long[] viaSocket = new long[rounds];
      long[] viaDirect = new long[rounds];
      for (int i = 0; i < rounds; i++) {
        // interleaved, so drift in machine load hits both alike
        viaSocket[i] = timeEcho(activated);
        viaDirect[i] = timeEcho(directPort);
      }
      report("echo latency (ms, median)", median(viaSocket) / 1e6, median(viaDirect) / 1e6, false);
      report("echo latency (ms, mean)", mean(viaSocket) / 1e6, mean(viaDirect) / 1e6, false);

      long[] downSocket = new long[BULK_ROUNDS];
      long[] downDirect = new long[BULK_ROUNDS];
      long[] upSocket = new long[BULK_ROUNDS];
      long[] upDirect = new long[BULK_ROUNDS];
      for (int i = 0; i < BULK_ROUNDS; i++) {
        downSocket[i] = Math.round(download(activated, megabytes));
        downDirect[i] = Math.round(download(directPort, megabytes));
        upSocket[i] = Math.round(upload(activated, megabytes));
        upDirect[i] = Math.round(upload(directPort, megabytes));
      }
      report("download MB/s (median of " + BULK_ROUNDS + ")", median(downSocket), median(downDirect), true);
      report("download MB/s (best of " + BULK_ROUNDS + ")", max(downSocket), max(downDirect), true);
      report("upload MB/s (median of " + BULK_ROUNDS + ")", median(upSocket), median(upDirect), true);
      report("upload MB/s (best of " + BULK_ROUNDS + ")", max(upSocket), max(upDirect), true);
    } finally {
      if (direct != null) {
        direct.destroy();
        direct.waitFor(10, TimeUnit.SECONDS);
      }
      dev.stop().await();
      dev.close();
      vertx.close().await();
    }
  }

  private static long timeEcho(int port) {
    long t0 = System.nanoTime();
    check(SshFixture.ssh(port, ALICE, "echo", "ok"));
    return System.nanoTime() - t0;
  }

  /** sshd → client: the remote side writes zeros, the client's stdout is counted here. */
  private static double download(int port, int megabytes) throws IOException, InterruptedException {
    Process p = client(port, "head -c " + megabytes + "M /dev/zero");
    long t0 = System.nanoTime();
    long cpu0 = jvmCpuNanos();
    long[] machine0 = machineTicks();
    long n = 0;
    byte[] buf = new byte[1 << 16];
    try (InputStream in = p.getInputStream()) {
      int r;
      while ((r = in.read(buf)) > 0) {
        n += r;
      }
    }
    p.waitFor();
    long elapsed = System.nanoTime() - t0;
    if (n != (long) megabytes << 20) {
      throw new IllegalStateException("download got " + n + " bytes");
    }
    cpuNote("download", port, elapsed, jvmCpuNanos() - cpu0, machine0);
    return megabytes / (elapsed / 1e9);
  }

  /** client → sshd: zeros written to the client's stdin, discarded remotely. */
  private static double upload(int port, int megabytes) throws IOException, InterruptedException {
    Process p = client(port, "cat > /dev/null");
    long t0 = System.nanoTime();
    long cpu0 = jvmCpuNanos();
    long[] machine0 = machineTicks();
    byte[] buf = new byte[1 << 16];
    try (OutputStream out = p.getOutputStream()) {
      for (long sent = 0; sent < (long) megabytes << 20; sent += buf.length) {
        out.write(buf);
      }
    }
    if (p.waitFor() != 0) {
      throw new IllegalStateException("upload failed");
    }
    long elapsed = System.nanoTime() - t0;
    cpuNote("upload", port, elapsed, jvmCpuNanos() - cpu0, machine0);
    return megabytes / (elapsed / 1e9);
  }

  /** JVM CPU (includes this benchmark's own client-side reading/writing) and machine busy share. */
  private static void cpuNote(String what, int port, long elapsedNanos, long jvmCpu, long[] machine0) {
    long[] m = machineTicks();
    double busy = 1.0 - (double) (m[1] - machine0[1]) / Math.max(1, m[0] - machine0[0]);
    if (VERBOSE) {
      System.out.printf("  %-8s port %5d: %6.0f ms, JVM CPU %5.1f%% of one core, machine busy %5.1f%%%n", what, port,
          elapsedNanos / 1e6, 100.0 * jvmCpu / elapsedNanos, 100 * busy);
    }
  }

  private static final boolean VERBOSE = Boolean.getBoolean("bench.verbose");

  private static long jvmCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  /** {total, idle} jiffies from /proc/stat. */
  private static long[] machineTicks() {
    try {
      String[] f = java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/stat")).get(0).trim().split("\\s+");
      long total = 0;
      for (int i = 1; i < f.length; i++) {
        total += Long.parseLong(f[i]);
      }
      return new long[] {total, Long.parseLong(f[4]) + Long.parseLong(f[5])};
    } catch (IOException e) {
      return new long[] {0, 0};
    }
  }

  private static Process client(int port, String command) throws IOException {
    List<String> argv = new ArrayList<>(SshFixture.clientOptions("ssh", "-p", port));
    argv.addAll(List.of("-i", ALICE.toString(), "-o", "IdentitiesOnly=yes", "-o", "BatchMode=yes", "root@127.0.0.1", command));
    return new ProcessBuilder(argv).redirectError(ProcessBuilder.Redirect.INHERIT).start();
  }

  private static void check(SshFixture.Result r) {
    if (!r.ok() || !r.out().strip().equals("ok")) {
      throw new IllegalStateException("ssh failed: " + r);
    }
  }

  private static void report(String what, double socket, double direct, boolean higherIsBetter) {
    double ratio = socket / direct;
    System.out.printf("%-28s activator %9.2f   sshd -D %9.2f   ratio %.3f (%s)%n", what, socket, direct, ratio,
        higherIsBetter ? "target >= 0.9" : "target <= 1.1");
  }

  private static double median(long[] v) {
    long[] s = v.clone();
    Arrays.sort(s);
    return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2.0;
  }

  private static double max(long[] v) {
    return Arrays.stream(v).max().orElse(0);
  }

  private static double mean(long[] v) {
    return Arrays.stream(v).average().orElse(0);
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  private static void awaitListening(int port) throws IOException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (true) {
      try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
        return;
      } catch (IOException e) {
        if (System.nanoTime() > deadline) {
          throw e;
        }
        Thread.onSpinWait();
      }
    }
  }
}
