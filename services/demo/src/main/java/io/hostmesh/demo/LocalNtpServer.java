package io.hostmesh.demo;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;

/**
 * A real chronyd serving NTP on {@code 127.0.0.x:port} from the host clock ({@code local stratum 8}),
 * always with {@code -x}: the NTP server of the tests and of {@code hostmesh demo}. Each instance has its own folder, socket and pid file; {@link #close()}
 * kills it and waits for it. Can be stopped and started again on the same address and port.
 *
 * <p>Neither the daemon nor the folder outlives the JVM: from the constructor on, a shutdown hook
 * kills chronyd and removes the folder (the demo stopped with Ctrl-C, also while it prepares), and
 * no chronyd is started once that hook has run.
 */
public final class LocalNtpServer implements AutoCloseable {
  private final String address;
  private final int port;
  private final Path dir;
  private final Thread reaper = new Thread(this::reap, "hostmesh-ntp-server-reaper");
  /** Guards {@link #process} and {@link #reaped}: a start and the reaper never overlap. */
  private final Object lock = new Object();
  private Process process;
  private boolean reaped;

  public LocalNtpServer(String address) throws IOException {
    this.address = address;
    this.port = freeUdpPort(address);
    this.dir = Files.createTempDirectory("hostmesh-ntpd-", PosixFilePermissions.asFileAttribute(
        PosixFilePermissions.fromString("rwx------")));
    try {
      Runtime.getRuntime().addShutdownHook(reaper);
    } catch (IllegalStateException stopping) {
      deleteFolder();
      throw new IOException("the JVM is stopping: no NTP server is started");
    }
    Files.writeString(dir.resolve("chrony.conf"), String.join("\n",
        "local stratum 8",
        "allow 127.0.0.0/8",
        "port " + port,
        "bindaddress " + address,
        "cmdport 0",
        "bindcmdaddress " + dir.resolve("chronyd.sock"),
        "pidfile " + dir.resolve("chronyd.pid"),
        "driftfile " + dir.resolve("drift"),
        ""));
  }

  /** The sim {@code server} line that reaches this server at once. */
  public String serverLine() {
    return address + " port " + port + " iburst minpoll -2 maxpoll 0";
  }

  /** The sim source options (chrony-sources' {@code sourceOptions}) for this server. */
  public String sourceOptions() {
    return "port " + port + " iburst minpoll -2 maxpoll 0";
  }

  public String address() {
    return address;
  }

  /** Starts chronyd and waits (bounded) until it answers on its command socket. */
  public LocalNtpServer start() throws IOException, InterruptedException {
    Process started;
    synchronized (lock) {
      if (reaped) {
        throw new IOException("the JVM is stopping: no NTP server is started");
      }
      started = new ProcessBuilder("chronyd", "-d", "-x", "-u", System.getProperty("user.name"),
          "-f", dir.resolve("chrony.conf").toString())
          .redirectErrorStream(true).redirectOutput(dir.resolve("chronyd.log").toFile()).start();
      process = started;
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < deadline) {
      Process c = new ProcessBuilder("chronyc", "-h", dir.resolve("chronyd.sock").toString(), "tracking")
          .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
      if (c.waitFor(5, TimeUnit.SECONDS) && c.exitValue() == 0) {
        return this;
      }
      if (!started.isAlive()) {
        throw new IOException("server chronyd exited: " + Files.readString(dir.resolve("chronyd.log")));
      }
      // poll again in 50 ms, or at once if the server died meanwhile
      started.onExit().completeOnTimeout(null, 50, TimeUnit.MILLISECONDS).join();
    }
    throw new IOException("server chronyd did not answer within 10 s");
  }

  /** Kills chronyd and waits until it is gone. */
  public void stop() throws InterruptedException {
    Process p;
    synchronized (lock) {
      p = process;
      process = null;
    }
    if (p != null) {
      p.destroy();
      if (!p.waitFor(5, TimeUnit.SECONDS)) {
        p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    }
  }

  @Override
  public void close() throws Exception {
    try {
      Runtime.getRuntime().removeShutdownHook(reaper);
    } catch (IllegalStateException shuttingDown) {
      // the reaper is running or about to: it does the same
    }
    stop();
    deleteFolder();
  }

  /** The shutdown hook: no start from now on, chronyd killed, the folder removed. */
  private void reap() {
    synchronized (lock) {
      reaped = true;
    }
    try {
      stop();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    deleteFolder();
  }

  private void deleteFolder() {
    try (var walk = Files.walk(dir)) {
      walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException | RuntimeException e) {
      // already gone, or partly: nothing else to do
    }
  }

  private static int freeUdpPort(String address) throws IOException {
    try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(InetAddress.getByName(address), 0))) {
      return s.getLocalPort();
    }
  }
}
