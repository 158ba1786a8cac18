package io.hostmesh.configwatch;

import static io.hostmesh.configwatch.ConfigRoot.awaitFile;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hostmesh.schema.config.ConfigStatus;
import io.hostmesh.schema.config.ConfigTopics;
import io.hostmesh.schema.ssh.SshSocketState;
import io.hostmesh.schema.ssh.SshTopics;
import io.hostmesh.schema.unit.UnitState;
import io.hostmesh.ssh.OsSshKeysUnit;
import io.hostmesh.ssh.SshSocketUnit;
import io.hostmesh.ssh.SshdGenKeysUnit;
import io.hostmesh.testing.SimDevice;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The oracle: a first boot whose config.json has {@code "ntpServers": ["time.example.com"]}
 * (an array where a string belongs). balenaOS applies every other key; so must we: hostname,
 * DNS servers file, NetworkManager fragment and SSH keys are applied, ssh-socket listens (it
 * waits on os-sshkeys, which waits on the config), and a real {@code ssh} logs in with the
 * configured key through a real {@code sshd -i}. Only the ntp projection is held back.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class FirstBootOracleIT {
  private static final long CLIENT_SECONDS = 120;

  @TempDir
  Path tmp;
  private SimDevice dev;

  @AfterEach
  void close() {
    if (dev != null) {
      dev.stop().await();
      dev.close();
    }
    // nothing a device does is left behind: no sshd of ours outlives it
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
    List<ProcessHandle> left = sshd();
    while (!left.isEmpty() && System.nanoTime() < deadline) {
      left.forEach(h -> h.onExit().orTimeout(200, TimeUnit.MILLISECONDS).exceptionally(x -> null).join());
      left = sshd();
    }
    left.forEach(ProcessHandle::destroyForcibly);
    assertEquals(List.of(), left.stream().map(h -> h.info().commandLine().orElse("?")).toList(), "processes left behind");
  }

  private static List<ProcessHandle> sshd() {
    return ProcessHandle.current().descendants().filter(ProcessHandle::isAlive)
        .filter(h -> h.info().command().map(c -> c.endsWith("/sshd") || c.endsWith("/ssh")).orElse(false)).toList();
  }

  @Test
  void anNtpTypoOnFirstBootLeavesEveryOtherKeyAppliedAndTheDeviceReachable(Vertx vertx) throws Exception {
    Path key = tmp.resolve("id_ed25519");
    run(List.of("ssh-keygen", "-q", "-N", "", "-t", "ed25519", "-f", key.toString()));
    String publicKey = Files.readString(Path.of(key + ".pub")).strip();
    String config = "{\"uuid\":\"0123456789abcdef0123456789abcdef\",\"hostname\":\"oracle-device\","
        + "\"dnsServers\":\"9.9.9.9\",\"apiEndpoint\":\"https://api.example.com\",\"developmentMode\":false,"
        + "\"ntpServers\":[\"time.example.com\"],\"os\":{\"sshKeys\":[\"" + publicKey + "\"]}}";
    dev = ConfigRoot.device(vertx)
        .unit(SshdGenKeysUnit::new).unit(OsSshKeysUnit::new).unit(SshSocketUnit::new)
        .settings(s -> s.getJsonObject("units").put("ssh-socket", new JsonObject().put("port", 0)))
        .file(ConfigRoot.CONFIG, config).build();
    dev.start().await();

    ConfigStatus status = dev.await(ConfigTopics.STATUS, s -> s.checks() > 0).await();
    assertTrue(status.inForce());
    assertEquals(1, status.refused().size());
    assertEquals("/ntpServers", status.refused().get(0).pointer());
    assertEquals(List.of("ntp"), status.refused().get(0).projections());
    assertFalse(dev.bus().latest(ConfigTopics.NTP).isPresent(), "the ntp projection is held back");

    awaitFile(dev, "/etc/hostname", "oracle-device\n");
    awaitFile(dev, "/run/dnsmasq.servers", "\nserver=9.9.9.9\n");
    awaitFile(dev, "/etc/NetworkManager/conf.d/os-networkmanager.conf", "# This file is generated based on"
        + " os.networkManager configuration in config.json.\n\n[connectivity]\nuri=https://api.example.com/connectivity-check\n"
        + "interval=3600\nresponse=\n");
    awaitFile(dev, "/home/root/.ssh/authorized_keys_local", publicKey + "\n");

    dev.awaitUnit("ssh-socket", UnitState.ACTIVE).await(60, TimeUnit.SECONDS);
    int port = dev.await(SshTopics.SOCKET_STATUS, s -> s.state() == SshSocketState.LISTENING).await().port();
    Result login = run(List.of("ssh", "-F", "/dev/null", "-p", Integer.toString(port),
        "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null", "-o", "LogLevel=ERROR",
        "-o", "ConnectTimeout=30", "-i", key.toString(), "-o", "IdentitiesOnly=yes", "-o", "BatchMode=yes",
        "-o", "PasswordAuthentication=no", "root@127.0.0.1", "echo", "logged-in"));
    assertEquals(0, login.exit(), login.toString());
    assertEquals("logged-in", login.out().strip());
    for (String unit : List.of("hostname", "dns", "networkmanager-config", "development-features", "os-sshkeys")) {
      UnitState s = dev.mesh().unit(unit).orElseThrow().state();
      assertTrue(s == UnitState.ACTIVE || s == UnitState.EXITED, unit + " " + s);
    }
  }

  record Result(int exit, String out, String err) {}

  /** Runs a program to its end with a deadline (killed then, and the test fails). */
  private static Result run(List<String> argv) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(new ArrayList<>(argv)).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
        .start();
    CompletableFuture<String> out = drain(p.getInputStream());
    CompletableFuture<String> err = drain(p.getErrorStream());
    if (!p.waitFor(CLIENT_SECONDS, TimeUnit.SECONDS)) {
      p.destroyForcibly().waitFor();
      throw new AssertionError(argv + " did not end within " + CLIENT_SECONDS + " s");
    }
    Result r = new Result(p.exitValue(), out.join(), err.join());
    if (argv.get(0).equals("ssh-keygen") && r.exit() != 0) {
      throw new AssertionError("ssh-keygen failed: " + r);
    }
    return r;
  }

  private static CompletableFuture<String> drain(InputStream in) {
    return CompletableFuture.supplyAsync(() -> {
      try (in) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        in.transferTo(b);
        return b.toString(StandardCharsets.UTF_8);
      } catch (IOException e) {
        return "";
      }
    });
  }
}
