package io.hostmesh.ssh;

import static io.hostmesh.ssh.SshFixture.ALICE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hostmesh.schema.ssh.SshSocketState;
import io.hostmesh.schema.ssh.SshTopics;
import io.hostmesh.ssh.SshFixture.Result;
import io.hostmesh.testing.SimDevice;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Many connections at once: parallel sessions, MaxConnections, the trigger limit and its recovery. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 300, timeUnit = TimeUnit.SECONDS)
class SshSocketLoadIT {
  private SimDevice dev;
  private final List<Socket> raw = new ArrayList<>();

  @AfterEach
  void stopEverySshd() throws IOException {
    for (Socket s : raw) {
      s.close();
    }
    SshFixture.stopAndCheck(dev);
  }

  @Test
  void fiftyParallelSessionsAllSucceed(Vertx vertx) throws Exception {
    dev = SshFixture.device(vertx, new JsonObject(), false);
    SshFixture.configure(dev, List.of(SshFixture.publicKey(ALICE)), false);
    int port = SshFixture.start(dev);
    long fdsBefore = openDescriptors();

    ExecutorService clients = Executors.newFixedThreadPool(50);
    try {
      List<Future<Result>> results = new ArrayList<>();
      for (int i = 0; i < 50; i++) {
        int n = i;
        results.add(clients.submit(() -> SshFixture.ssh(port, ALICE, "echo", "ok-" + n)));
      }
      for (int i = 0; i < 50; i++) {
        Result r = results.get(i).get(150, TimeUnit.SECONDS);
        assertEquals(0, r.exit(), "session " + i + ": " + r);
        assertEquals("ok-" + i, r.out().strip());
      }
    } finally {
      clients.shutdownNow();
    }
    var status = dev.await(SshTopics.SOCKET_STATUS, s -> s.active() == 0 && s.accepted() == 50).await();
    assertEquals(0, status.refused());
    // every connection, stderr pipe and client pipe is closed again (one leak each would be +50);
    // a little slack for what the JVM opens on its own meanwhile
    SshFixture.poll(vertx, () -> openDescriptors() <= fdsBefore + 5).await();
  }

  private static long openDescriptors() {
    try (var fds = java.nio.file.Files.list(java.nio.file.Path.of("/proc/self/fd"))) {
      return fds.count();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Test
  void sixtyFifthConcurrentConnectionIsClosedAtOnce(Vertx vertx) throws Exception {
    dev = SshFixture.device(vertx, new JsonObject(), false);
    SshFixture.configure(dev, null, false);
    int port = SshFixture.start(dev);

    for (int i = 0; i < 64; i++) {
      assertTrue(banner(connect(port)).startsWith("SSH-2.0-"), "connection " + (i + 1) + " reaches an sshd");
    }
    assertEquals(64, SshFixture.status(dev).active());

    Socket extra = connect(port);
    assertEquals(-1, extra.getInputStream().read(), "the 65th connection is closed without a banner");
    dev.awaitLog("ssh-socket", "Too many incoming connections (64), dropping connection.").await();
    assertEquals(1, SshFixture.status(dev).refused());

    // a slot frees up: accepted again
    raw.remove(0).close();
    dev.await(SshTopics.SOCKET_STATUS, s -> s.active() == 63).await();
    assertTrue(banner(connect(port)).startsWith("SSH-2.0-"));
  }

  @Test
  void floodPastTheTriggerLimitStopsTheSocketUntilTheRecoveryTimer(Vertx vertx) throws Exception {
    dev = SshFixture.device(vertx, new JsonObject().put("triggerLimitBurst", 20).put("triggerLimitIntervalMillis", 2000), true);
    SshFixture.configure(dev, List.of(SshFixture.publicKey(ALICE)), false);
    int port = SshFixture.start(dev);

    // the recovery timer leaves a healthy socket alone
    dev.time().advanceBy(Duration.ofMinutes(15)).await();
    assertFalse(dev.logged("ssh-socket", "restarting"));

    // virtual time stands still: all of these fall in one 2 s window
    for (int i = 0; i < 20; i++) {
      assertTrue(banner(connect(port)).startsWith("SSH-2.0-"), "connection " + (i + 1) + " is under the limit");
    }
    // the 21st trips the limit and is closed; then, as systemd, nothing listens until the recovery
    assertEquals(-1, connect(port).getInputStream().read(), "connection 21 is closed at once");
    var hit = dev.await(SshTopics.SOCKET_STATUS, s -> s.refused() == 1).await();
    for (int i = 0; i < 4; i++) {
      int n = 22 + i;
      assertThrows(java.net.ConnectException.class, () -> connect(port), "connection " + n + " is refused");
    }
    assertEquals(SshSocketState.TRIGGER_LIMIT_HIT, hit.state());
    assertEquals("trigger-limit-hit", hit.state().label());
    assertEquals(1, hit.triggerLimitHits());
    assertTrue(dev.logged("ssh-socket", "Trigger limit hit, refusing further activation."));
    Result refused = SshFixture.ssh(port, ALICE, "echo", "ok");
    assertEquals(255, refused.exit(), refused.toString());

    for (Socket s : raw) {
      s.close();
    }
    raw.clear();
    dev.time().advanceBy(Duration.ofMinutes(15)).await();
    dev.awaitLog("ssh-socket", "sshd.socket was stopped by trigger rate limit, restarting").await();
    dev.await(SshTopics.SOCKET_STATUS, s -> s.state() == SshSocketState.LISTENING).await();
    Result back = SshFixture.ssh(port, ALICE, "echo", "ok");
    assertEquals(0, back.exit(), back.toString());
  }

  private Socket connect(int port) throws IOException {
    Socket s = new Socket(InetAddress.getLoopbackAddress(), port);
    s.setSoTimeout(30_000);
    raw.add(s);
    return s;
  }

  /** sshd's identification line, or "" when the connection was closed first. */
  private static String banner(Socket s) throws IOException {
    InputStream in = s.getInputStream();
    StringBuilder b = new StringBuilder();
    int c;
    while ((c = in.read()) >= 0 && c != '\n') {
      b.append((char) c);
    }
    return b.toString().strip();
  }
}
