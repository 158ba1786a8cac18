package io.hostmesh.ssh;

import static io.hostmesh.ssh.SshFixture.ALICE;
import static io.hostmesh.ssh.SshFixture.MALLORY;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hostmesh.schema.config.ConfigTopics;
import io.hostmesh.schema.config.DevelopmentMode;
import io.hostmesh.schema.ssh.SshSessionClosed;
import io.hostmesh.schema.ssh.SshSessionOpened;
import io.hostmesh.schema.ssh.SshTopics;
import io.hostmesh.schema.ssh.SshdMode;
import io.hostmesh.schema.unit.UnitState;
import io.hostmesh.ssh.SshFixture.Result;
import io.hostmesh.testing.SimDevice;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Real sshd -i behind the socket, real ssh clients: who may log in, in which mode. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 120, timeUnit = TimeUnit.SECONDS)
class SshSocketIT {
  private SimDevice dev;

  @AfterEach
  void stopEverySshd() {
    SshFixture.stopAndCheck(dev);
  }

  @Test
  void keyFromConfigLogsInAndOtherKeyIsRefused(Vertx vertx) {
    dev = SshFixture.device(vertx, new JsonObject(), false);
    SshFixture.configure(dev, List.of(SshFixture.publicKey(ALICE)), false);
    int port = SshFixture.start(dev);

    Result alice = SshFixture.ssh(port, ALICE, "echo", "ok");
    assertEquals(0, alice.exit(), alice.toString());
    assertEquals("ok", alice.out().strip());

    Result mallory = SshFixture.ssh(port, MALLORY, "echo", "ok");
    assertEquals(255, mallory.exit(), mallory.toString());
    assertTrue(mallory.err().contains("Permission denied"), mallory.toString());
    assertFalse(mallory.out().contains("ok"));
  }

  @Test
  void productionWithoutKeysRefusesEveryone(Vertx vertx) {
    dev = SshFixture.device(vertx, new JsonObject(), false);
    SshFixture.configure(dev, null, false);
    int port = SshFixture.start(dev);

    Result password = SshFixture.sshEmptyPassword(port, "echo", "ok");
    assertEquals(255, password.exit(), password.toString());
    Result key = SshFixture.ssh(port, ALICE, "echo", "ok");
    assertEquals(255, key.exit(), key.toString());
  }

  @Test
  void developmentWithoutKeysLetsRootInWithTheEmptyPassword(Vertx vertx) {
    dev = SshFixture.device(vertx, new JsonObject(), false);
    SshFixture.configure(dev, null, true);
    int port = SshFixture.start(dev);
    List<SshSessionOpened> opened = new CopyOnWriteArrayList<>();
    dev.bus().subscribe(SshTopics.SESSION_OPENED, opened::add).completion().await();

    Result r = SshFixture.sshEmptyPassword(port, "echo", "ok");
    assertEquals(0, r.exit(), r.toString());
    assertEquals("ok", r.out().strip());
    assertEquals(SshdMode.DEVELOPMENT, opened.get(0).mode());
  }

  @Test
  void developmentWithKeysRefusesThePasswordButTakesTheKey(Vertx vertx) {
    dev = SshFixture.device(vertx, new JsonObject(), false);
    SshFixture.configure(dev, List.of(SshFixture.publicKey(ALICE)), true);
    int port = SshFixture.start(dev);

    Result password = SshFixture.sshEmptyPassword(port, "echo", "ok");
    assertEquals(255, password.exit(), password.toString());
    assertTrue(password.err().contains("Permission denied (publickey)"), password.toString());
    Result key = SshFixture.ssh(port, ALICE, "echo", "ok");
    assertEquals(0, key.exit(), key.toString());
  }

  @Test
  void modeChangeAppliesToNewConnectionsAndLeavesLiveSessionsAlone(Vertx vertx) throws Exception {
    dev = SshFixture.device(vertx, new JsonObject(), false);
    SshFixture.configure(dev, List.of(SshFixture.publicKey(ALICE)), false);
    int port = SshFixture.start(dev);
    assertEquals(255, SshFixture.sshEmptyPassword(port, "echo", "ok").exit());

    // a live session that answers once it is told to
    List<String> argv = new java.util.ArrayList<>(SshFixture.clientOptions("ssh", "-p", port));
    argv.addAll(List.of("-i", ALICE.toString(), "-o", "IdentitiesOnly=yes", "-o", "BatchMode=yes",
        "root@127.0.0.1", "echo ready; read line; echo got $line"));
    Process live = new ProcessBuilder(argv).start();
    try {
      var out = new java.io.BufferedReader(new java.io.InputStreamReader(live.getInputStream(), StandardCharsets.UTF_8));
      assertEquals("ready", out.readLine());

      dev.bus().publish(ConfigTopics.DEVELOPMENT_MODE, new DevelopmentMode(true, false));
      dev.awaitLog("ssh-socket", "sshd variant for new connections: development").await();
      Result r = SshFixture.sshEmptyPassword(port, "echo", "ok");
      assertEquals(0, r.exit(), r.toString());

      live.getOutputStream().write("still-here\n".getBytes(StandardCharsets.UTF_8));
      live.getOutputStream().flush();
      assertEquals("got still-here", out.readLine());
      assertTrue(live.waitFor(30, TimeUnit.SECONDS));
      assertEquals(0, live.exitValue());
    } finally {
      live.destroyForcibly();
    }
  }

  @Test
  void connectionWaitsForTheDevelopmentModeAtMostTheLoginGraceTime(Vertx vertx) throws IOException {
    dev = SshFixture.device(vertx, new JsonObject(), true);
    dev.bus().publish(ConfigTopics.SSH_KEYS, new io.hostmesh.schema.config.Projections.SshKeysConfig(null));
    int port = SshFixture.start(dev);
    try (var early = new java.net.Socket(java.net.InetAddress.getLoopbackAddress(), port)) {
      early.setSoTimeout(30_000);
      dev.await(SshTopics.SOCKET_STATUS, s -> s.active() == 1).await();
      // nobody has said which sshd to run yet: the first one gives up after LoginGraceTime (virtual)
      dev.time().advanceBy(java.time.Duration.ofSeconds(120)).await();
      assertEquals(-1, early.getInputStream().read(), "closed without a banner");
      dev.awaitLog("ssh-socket", "development mode still unknown after 120 s").await();
    }
    try (var waiting = new java.net.Socket(java.net.InetAddress.getLoopbackAddress(), port)) {
      waiting.setSoTimeout(30_000);
      dev.await(SshTopics.SOCKET_STATUS, s -> s.active() == 1 && s.accepted() == 2).await();
      dev.bus().publish(ConfigTopics.DEVELOPMENT_MODE, new DevelopmentMode(false, false));
      byte[] banner = new byte[8];
      assertEquals(8, waiting.getInputStream().readNBytes(banner, 0, 8));
      assertEquals("SSH-2.0-", new String(banner, StandardCharsets.US_ASCII));
    }
  }

  @Test
  void sessionsAreReportedAndCounted(Vertx vertx) {
    dev = SshFixture.device(vertx, new JsonObject(), false);
    SshFixture.configure(dev, List.of(SshFixture.publicKey(ALICE)), false);
    int port = SshFixture.start(dev);
    var closed = dev.await(SshTopics.SESSION_CLOSED, c -> true);

    assertTrue(SshFixture.ssh(port, ALICE, "echo", "ok").ok());
    SshSessionClosed c = closed.await();
    assertTrue(c.bytesFromClient() > 0 && c.bytesToClient() > 0, c.toString());
    var status = dev.await(SshTopics.SOCKET_STATUS, s -> s.active() == 0 && s.accepted() == 1).await();
    assertEquals(port, status.port());
    assertEquals(c.bytesToClient(), status.bytesToClient());
    assertEquals(64, status.maxConnections());
    assertEquals(200, status.triggerLimitBurst());
  }

  @Test
  void configsAndAdvertAreWrittenUnderTheDeviceRoot(Vertx vertx) {
    dev = SshFixture.device(vertx, new JsonObject(), false);
    SshFixture.configure(dev, null, false);
    int port = SshFixture.start(dev);

    String production = dev.readFile("/etc/ssh/sshd_config_readonly");
    assertTrue(production.contains("PasswordAuthentication no\n"), production);
    assertTrue(production.contains("AuthorizedKeysFile " + dev.path("/home/root/.ssh/authorized_keys")), production);
    assertTrue(production.contains("HostKey " + dev.path("/etc/ssh/hostkeys/ssh_host_ed25519_key")), production);
    assertFalse(production.lines().anyMatch(l -> l.startsWith("AuthorizedKeysCommand")), production);
    String development = dev.readFile("/etc/ssh/sshd_config_development");
    assertTrue(development.contains("PermitEmptyPasswords yes\nPermitRootLogin yes\n"), development);
    String advert = dev.readFile("/etc/avahi/services/ssh.service");
    assertTrue(advert.contains("<port>" + port + "</port>"), advert);
    assertTrue(advert.contains("<subtype>_resin-device._sub._ssh._tcp</subtype>"), advert);
    assertTrue(advert.contains("<name replace-wildcards=\"yes\">%h</name>"), advert);
  }

  @Test
  void missingSshdFailsTheUnitSayingSo(Vertx vertx) {
    dev = SshFixture.device(vertx, new JsonObject().put("sshd", "/nonexistent/sbin/sshd"), false);
    SshFixture.configure(dev, null, false);
    dev.start().await();
    var failed = dev.awaitUnit("ssh-socket", UnitState.FAILED).await();
    assertTrue(failed.detail().contains("sshd not found at /nonexistent/sbin/sshd"), failed.detail());
    assertTrue(failed.detail().contains("install openssh-server"), failed.detail());
  }

  @Test
  void portInUseFailsTheUnitNamingThePort(Vertx vertx) throws IOException {
    try (var taken = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      dev = SshFixture.device(vertx, new JsonObject().put("port", taken.getLocalPort()), false);
      SshFixture.configure(dev, null, false);
      dev.start().await();
      var failed = dev.awaitUnit("ssh-socket", UnitState.FAILED).await();
      assertTrue(failed.detail().contains("cannot listen on 127.0.0.1:" + taken.getLocalPort()), failed.detail());
    }
  }

  @Test
  void sshdRunsBelowTheMeshAtItsNiceSetting(Vertx vertx) throws Exception {
    assertEquals(Math.max(10, niceOf("self")), sessionNice(vertx, new JsonObject()), "the default, 10");
    SshFixture.stopAndCheck(dev);
    assertEquals(Math.max(19, niceOf("self")), sessionNice(vertx, new JsonObject().put("nice", 19)));
    SshFixture.stopAndCheck(dev);
    // 0: the mesh's own priority (whatever this JVM was started at)
    assertEquals(niceOf("self"), sessionNice(vertx, new JsonObject().put("nice", 0)));
  }

  /** The nice value of the sshd of one live session of a new device with these settings. */
  private int sessionNice(Vertx vertx, JsonObject settings) throws Exception {
    dev = SshFixture.device(vertx, settings, false);
    SshFixture.configure(dev, List.of(SshFixture.publicKey(ALICE)), false);
    int port = SshFixture.start(dev);
    var opened = dev.await(SshTopics.SESSION_OPENED, o -> true);
    List<String> argv = new java.util.ArrayList<>(SshFixture.clientOptions("ssh", "-p", port));
    argv.addAll(List.of("-i", ALICE.toString(), "-o", "IdentitiesOnly=yes", "-o", "BatchMode=yes",
        "root@127.0.0.1", "echo ready; read line"));
    Process live = new ProcessBuilder(argv).start();
    try {
      var out = new java.io.BufferedReader(new java.io.InputStreamReader(live.getInputStream(), StandardCharsets.UTF_8));
      assertEquals("ready", out.readLine());
      int sshd = niceOf(Long.toString(opened.await().pid()));
      // the session's threads in this JVM stay at its priority: a lowered one stalls safepoints
      List<String> lowered = sessionThreadsBelow(niceOf("self"));
      assertEquals(List.of(), lowered, "ssh-socket threads below the mesh's priority");
      return sshd;
    } finally {
      live.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    }
  }

  /** This JVM's ssh-socket threads (named ssh-socket-…) whose nice value is not {@code nice}. */
  private static List<String> sessionThreadsBelow(int nice) throws IOException {
    List<String> out = new java.util.ArrayList<>();
    try (var tasks = java.nio.file.Files.list(java.nio.file.Path.of("/proc/self/task"))) {
      for (java.nio.file.Path t : tasks.toList()) {
        String comm;
        try {
          comm = java.nio.file.Files.readString(t.resolve("comm")).strip();
          if (comm.startsWith("ssh-socket-") && niceOf("self/task/" + t.getFileName()) != nice) {
            out.add(comm);
          }
        } catch (java.nio.file.NoSuchFileException ended) {
          // the thread ended meanwhile
        }
      }
    }
    return out;
  }

  /** Field 19 of /proc/PID/stat (after the command name, which may hold spaces). */
  private static int niceOf(String pid) throws IOException {
    String stat = java.nio.file.Files.readString(java.nio.file.Path.of("/proc", pid, "stat"));
    return Integer.parseInt(stat.substring(stat.lastIndexOf(')') + 2).split(" ")[16]);
  }

  @Test
  void aNiceOutOfRangeFailsTheUnitNamingTheRange(Vertx vertx) {
    dev = SshFixture.device(vertx, new JsonObject().put("nice", 20), false);
    SshFixture.configure(dev, null, false);
    dev.start().await();
    var failed = dev.awaitUnit("ssh-socket", UnitState.FAILED).await();
    assertTrue(failed.detail().contains("ssh-socket nice must be 0 (the mesh's priority) to 19 (the lowest): 20"),
        failed.detail());
  }

  @Test
  void anUnknownStdioSettingFailsTheUnitNamingTheChoices(Vertx vertx) {
    dev = SshFixture.device(vertx, new JsonObject().put("stdio", "tty"), false);
    SshFixture.configure(dev, null, false);
    dev.start().await();
    var failed = dev.awaitUnit("ssh-socket", UnitState.FAILED).await();
    assertTrue(failed.detail().contains("stdio must be auto, socket or pipe: tty"), failed.detail());
  }
}
