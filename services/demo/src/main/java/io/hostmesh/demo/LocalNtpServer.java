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
 */
public final class LocalNtpServer implements AutoCloseable {
  private final String address;
  private final int port;
  private final Path dir;
  private Process process;
  private Thread reaper;

  public LocalNtpServer(String address) throws IOException {
    this.address = address;
    this.port = freeUdpPort(address);
    this.dir = Files.createTempDirectory("hostmesh-ntpd-", PosixFilePermissions.asFileAttribute(
        PosixFilePermissions.fromString("rwx------")));
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
    process = new ProcessBuilder("chronyd", "-d", "-x", "-u", System.getProperty("user.name"),
        "-f", dir.resolve("chrony.conf").toString())
        .redirectErrorStream(true).redirectOutput(dir.resolve("chronyd.log").toFile()).start();
    // a daemon must not outlive the JVM, e.g. when the demo is stopped with Ctrl-C
    Process started = process;
    reaper = new Thread(started::destroy, "hostmesh-ntp-server-reaper");
    Runtime.getRuntime().addShutdownHook(reaper);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < deadline) {
      Process c = new ProcessBuilder("chronyc", "-h", dir.resolve("chronyd.sock").toString(), "tracking")
          .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
      if (c.waitFor(5, TimeUnit.SECONDS) && c.exitValue() == 0) {
        return this;
      }
      if (!process.isAlive()) {
        throw new IOException("server chronyd exited: " + Files.readString(dir.resolve("chronyd.log")));
      }
      // poll again in 50 ms, or at once if the server died meanwhile
      process.onExit().completeOnTimeout(null, 50, TimeUnit.MILLISECONDS).join();
    }
    throw new IOException("server chronyd did not answer within 10 s");
  }

  /** Kills chronyd and waits until it is gone. */
  public void stop() throws InterruptedException {
    if (reaper != null) {
      try {
        Runtime.getRuntime().removeShutdownHook(reaper);
      } catch (IllegalStateException shuttingDown) {
        // the hook is running or about to: it kills the process
      }
      reaper = null;
    }
    if (process != null) {
      process.destroy();
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
      process = null;
    }
  }

  @Override
  public void close() throws Exception {
    stop();
    try (var walk = Files.walk(dir)) {
      walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  private static int freeUdpPort(String address) throws IOException {
    try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(InetAddress.getByName(address), 0))) {
      return s.getLocalPort();
    }
  }
}
