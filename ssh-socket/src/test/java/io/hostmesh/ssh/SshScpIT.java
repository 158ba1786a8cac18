package io.hostmesh.ssh;

import static io.hostmesh.ssh.SshFixture.ALICE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.hostmesh.schema.ssh.SshTopics;
import io.hostmesh.ssh.SshFixture.Result;
import io.hostmesh.testing.SimDevice;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collections;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.extension.ExtendWith;

/** Bulk data both ways through the activator's pipes, checked byte for byte. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 300, timeUnit = TimeUnit.SECONDS)
class SshScpIT {
  private static final int SIZE = 100 * 1024 * 1024;
  private SimDevice dev;

  @AfterEach
  void stopEverySshd() {
    SshFixture.stopAndCheck(dev);
  }

  /** Both ways sshd can meet its connection: handed the socket itself, or through pipes. */
  @ParameterizedTest
  @ValueSource(strings = {"socket", "pipe"})
  void hundredMegabytesArriveIntactBothWays(String stdio, Vertx vertx) throws Exception {
    // the transport alone: sessions in the host, as before the device view (whose root at its host
    // path is read-only in a session; DeviceViewIT writes through the device's paths)
    dev = SshFixture.device(vertx, new JsonObject().put("stdio", stdio).put("deviceView", false), false);
    SshFixture.configure(dev, List.of(SshFixture.publicKey(ALICE)), false);
    // whether each sshd itself holds the client's TCP connection, looked at while it runs (on a
    // loaded machine the look may come after sshd has ended: such a look counts for nothing)
    List<Boolean> holdsConnection = new CopyOnWriteArrayList<>();
    List<String> seen = new CopyOnWriteArrayList<>();
    dev.bus().subscribe(SshTopics.SESSION_OPENED, o -> {
      List<String> fds = links(o.pid());
      boolean holds = holdsTcpConnection(fds);
      seen.add(o.pid() + " holds " + holds + " fds " + fds);
      if (running(o.pid())) {
        holdsConnection.add(holds);
      }
    });
    int port = SshFixture.start(dev);
    Path work = Files.createTempDirectory(SshFixture.DIR, "scp-");
    Path original = work.resolve("original.bin");
    Path back = work.resolve("back.bin");
    writeRandom(original, SIZE);
    Path onDevice = dev.path("/home/root/received.bin");

    Result up = SshFixture.scp(port, ALICE, original.toString(), "root@127.0.0.1:" + onDevice);
    assertEquals(0, up.exit(), up.toString());
    Result down = SshFixture.scp(port, ALICE, "root@127.0.0.1:" + onDevice, back.toString());
    assertEquals(0, down.exit(), down.toString());

    String expected = sha256(original);
    assertEquals(expected, sha256(onDevice), "upload intact");
    assertEquals(expected, sha256(back), "download intact");
    var status = dev.await(SshTopics.SOCKET_STATUS, s -> s.active() == 0 && s.accepted() == 2).await();
    assertEquals(true, status.bytesFromClient() > SIZE && status.bytesToClient() > SIZE, status.toString());
    assertFalse(holdsConnection.isEmpty(), "at least one sshd was seen running");
    assertEquals(Collections.nCopies(holdsConnection.size(), stdio.equals("socket")), holdsConnection,
        "with stdio " + stdio + ", sshd holds the TCP connection itself: " + stdio.equals("socket") + "; seen " + seen);
    Files.delete(original);
    Files.delete(back);
  }

  /**
   * Whether one of a process's descriptors (their link targets) is a TCP socket (sshd -i moves its standard input
   * to another descriptor and puts /dev/null on 0, and makes socket pairs of its own, so only the
   * kernel's TCP table tells the connection apart).
   */
  private static boolean holdsTcpConnection(List<String> fdLinks) {
    try {
      Set<String> tcp = new HashSet<>();
      for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
        if (Files.notExists(Path.of(table))) {
          // a kernel without IPv6
          continue;
        }
        List<String> lines = Files.readAllLines(Path.of(table));
        // after the header: the inode is the tenth column
        for (String line : lines.subList(1, lines.size())) {
          tcp.add(line.trim().split("\\s+")[9]);
        }
      }
      return fdLinks.stream().anyMatch(l -> l.startsWith("socket:[")
          && tcp.contains(l.substring("socket:[".length(), l.length() - 1)));
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static List<String> links(long pid) {
    try (var fds = Files.list(Path.of("/proc/" + pid + "/fd"))) {
      return fds.map(SshScpIT::link).toList();
    } catch (IOException e) {
      return List.of("gone");
    }
  }

  /** Alive and not a zombie (whose descriptor table is already empty). */
  private static boolean running(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
      return stat.charAt(stat.lastIndexOf(')') + 2) != 'Z';
    } catch (IOException e) {
      return false;
    }
  }

  private static String link(Path fd) {
    try {
      return Files.readSymbolicLink(fd).toString();
    } catch (IOException e) {
      return "";
    }
  }

  private static void writeRandom(Path file, int size) throws IOException {
    Random random = new Random(42);
    byte[] chunk = new byte[1 << 20];
    try (OutputStream out = Files.newOutputStream(file)) {
      for (int written = 0; written < size; written += chunk.length) {
        random.nextBytes(chunk);
        out.write(chunk, 0, Math.min(chunk.length, size - written));
      }
    }
  }

  static String sha256(Path file) throws IOException, NoSuchAlgorithmException {
    MessageDigest md = MessageDigest.getInstance("SHA-256");
    byte[] buf = new byte[1 << 20];
    try (InputStream in = Files.newInputStream(file)) {
      int n;
      while ((n = in.read(buf)) > 0) {
        md.update(buf, 0, n);
      }
    }
    return HexFormat.of().formatHex(md.digest());
  }
}
