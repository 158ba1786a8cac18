package io.hostmesh.ssh;

import static io.hostmesh.ssh.SshFixture.ALICE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hostmesh.schema.config.ConfigTopics;
import io.hostmesh.ssh.SshFixture.Result;
import io.hostmesh.testing.SimDevice;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 17, items 1 and 4 without the API: a real ssh client into a real {@code sshd -i} lands in
 * the device's view (its files where balenaOS has them, its host name, its commands first on the
 * PATH) and cannot reach the host's clock, mounts or network settings even by full path.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 120, timeUnit = TimeUnit.SECONDS)
class DeviceViewIT {
  private SimDevice dev;

  @AfterEach
  void stopEverySshd() {
    SshFixture.stopAndCheck(dev);
  }

  @Test
  void theSessionSeesTheDevicesFilesWhereBalenaOsHasThem(Vertx vertx, @TempDir Path tmp) throws Exception {
    int port = start(vertx, tmp.resolve("dev"));
    assertEquals("view-dev-1", ssh(port, "cat /etc/hostname"));
    assertEquals("view-dev-1", ssh(port, "hostname"), "the session's own UTS namespace");
    assertEquals("config.json", ssh(port, "ls /mnt/boot"));
    assertEquals("{\"deviceType\":\"generic-amd64\"}", ssh(port, "cat /mnt/boot/config.json"));
    assertEquals("server=1.1.1.1", ssh(port, "cat /run/dnsmasq.servers"));
    assertEquals("ID=\"balena-os\"", ssh(port, "head -1 /etc/os-release"));
    assertEquals("20240101000000", ssh(port, "cat /etc/timestamp"));
    assertEquals("99-test.rules", ssh(port, "ls /etc/udev/rules.d"));
    assertEquals("authorized_keys authorized_keys_local", ssh(port, "echo $(ls /home/root/.ssh)"));
    // root's home is the device's, writable and kept, as on balenaOS
    ssh(port, "echo kept > /home/root/note.txt");
    assertEquals("kept\n", Files.readString(dev.path("/home/root/note.txt")));
    assertEquals("", ssh(port, "ls /root"), "an empty home of the session, not the host's /root");
    assertEquals("/usr/local/sbin/systemctl /usr/local/sbin/chronyc", ssh(port, "echo $(command -v systemctl chronyc)"));
    // /mnt/boot is the device's, writable as on a device: a suite's config.json edit lands there
    ssh(port, "echo from-ssh > /mnt/boot/note.txt");
    assertEquals("from-ssh\n", Files.readString(dev.path("/mnt/boot/note.txt")));
    // /etc is read-only (the device's files are copies taken at login)
    Result etc = SshFixture.ssh(port, ALICE, "touch /etc/hostmesh-view-test");
    assertNotEquals(0, etc.exit(), etc.toString());
    assertTrue(etc.err().contains("Read-only file system"), etc.toString());
    assertFalse(Files.exists(Path.of("/etc/hostmesh-view-test")));
    assertNotEquals("view-dev-1", InetAddress.getLocalHost().getHostName(), "the host keeps its name");
    // the host's root file system and kernel settings are read-only (test -w: nothing is written if they were not)
    assertEquals("ro ro ro", ssh(port, "for p in /usr /opt/. /proc/sys/vm/drop_caches; do test -w $p && echo -n 'rw ' || echo -n 'ro '; done"));
    // /tmp and /dev/shm are the session's own, as a device's tmpfs: nothing lands in the host's
    Path hostTmp = Path.of("/tmp", "hostmesh-view-" + ProcessHandle.current().pid() + "-" + System.nanoTime());
    Path hostMarker = Files.createTempFile("hostmesh-view-marker-", "");
    try {
      assertEquals("absent", ssh(port, "test -e " + hostMarker + " && echo present || echo absent"), "the host's /tmp is not seen");
      assertEquals("x", ssh(port, "echo x > " + hostTmp + " && cat " + hostTmp + " && : > /dev/shm/hostmesh-view-test"));
      assertFalse(Files.exists(hostTmp), "the host's /tmp is untouched");
      assertFalse(Files.exists(Path.of("/dev/shm/hostmesh-view-test")), "the host's /dev/shm is untouched");
    } finally {
      Files.deleteIfExists(hostMarker);
      Files.deleteIfExists(hostTmp);
      Files.deleteIfExists(Path.of("/dev/shm/hostmesh-view-test"));
    }
  }

  @Test
  void theHostsClockMountsAndNetworkAreOutOfReachEvenByFullPath(Vertx vertx, @TempDir Path tmp) throws Exception {
    int port = start(vertx, tmp.resolve("dev"));
    long bounding = Long.parseLong(ssh(port, "sed -n 's/^CapBnd:[[:space:]]*//p' /proc/self/status"), 16);
    // net_admin, sys_module, sys_rawio, sys_ptrace, sys_admin, sys_boot, sys_time
    for (int cap : new int[] {12, 16, 17, 19, 21, 22, 25}) {
      assertEquals(0, bounding & (1L << cap), "capability " + cap + " dropped: " + Long.toHexString(bounding));
    }
    assertNotEquals(0, bounding & (1L << 6), "setgid kept: sshd needs it");
    Result date = SshFixture.ssh(port, ALICE, "/bin/date -s @86400");
    assertNotEquals(0, date.exit(), date.toString());
    assertTrue(date.err().contains("Operation not permitted"), date.toString());
    Result mount = SshFixture.ssh(port, ALICE, "/bin/mount -t tmpfs hostmesh-escape /mnt");
    assertNotEquals(0, mount.exit(), mount.toString());
    assertTrue(mount.err().contains("permission denied"), mount.toString());
    Result hostname = SshFixture.ssh(port, ALICE, "/bin/hostname escaped");
    assertNotEquals(0, hostname.exit(), hostname.toString());
    if (Files.isExecutable(Path.of("/usr/sbin/iptables"))) {
      Result iptables = SshFixture.ssh(port, ALICE, "/usr/sbin/iptables -L");
      assertNotEquals(0, iptables.exit(), iptables.toString());
      assertTrue(iptables.err().contains("ermission denied"), iptables.toString());
    }
    // the host's files through a host process's root (PID 1's), around the read-only view: refused without sys_ptrace
    Result around = SshFixture.ssh(port, ALICE, "ls /proc/1/root/");
    assertNotEquals(0, around.exit(), around.toString());
    assertTrue(around.err().contains("Permission denied"), around.toString());
    assertEquals("ro", ssh(port, "test -w /sys/kernel && echo rw || echo ro"), "/sys is read-only");
    assertTrue(Math.abs(System.currentTimeMillis() / 1000 - Long.parseLong(ssh(port, "/bin/date +%s"))) < 60,
        "the host's clock was not set");
    assertFalse(Files.readString(Path.of("/proc/self/mounts")).contains("hostmesh-"), "nothing mounted on the host");
  }

  @Test
  void aDeviceRootTheViewWouldHideIsStillWhereSshdReadsIt(Vertx vertx) throws Exception {
    // /var is replaced by a read-only overlay in the view: the root is bound there again
    Path varTmp = Files.createTempDirectory(Path.of("/var/tmp"), "hostmesh-view-");
    try {
      int port = start(vertx, varTmp.resolve("dev"));
      assertEquals("view-dev-1", ssh(port, "cat /etc/hostname"));
      ssh(port, "touch /mnt/boot/x");
      assertTrue(Files.exists(varTmp.resolve("dev/mnt/boot/x")), "writes to /mnt/boot reach the device root");
      Result r = SshFixture.ssh(port, ALICE, "touch " + varTmp.resolve("dev/mnt/boot/y"));
      assertNotEquals(0, r.exit(), "the root at its host path is read-only (sshd reads it there): " + r);
      assertTrue(r.err().contains("Read-only file system"), r.toString());
    } finally {
      SshFixture.stopAndCheck(dev);
      dev = null;
      deleteTree(varTmp);
    }
  }

  @Test
  void aDeviceCommandWithoutTheApiSaysSo(Vertx vertx, @TempDir Path tmp) throws Exception {
    int port = start(vertx, tmp.resolve("dev"));
    Result r = SshFixture.ssh(port, ALICE, "systemctl is-active chronyd");
    assertEquals(1, r.exit(), r.toString());
    assertEquals("systemctl: the device's API is not running (no /run/hostmesh/shell-api)", r.err().strip());
  }

  @Test
  void withoutTheViewTheSessionSeesTheHost(Vertx vertx, @TempDir Path tmp) throws Exception {
    int port = start(vertx, tmp.resolve("dev"), new JsonObject().put("deviceView", false));
    assertEquals(Files.readString(Path.of("/proc/sys/kernel/hostname")).strip(), ssh(port, "hostname"));
  }

  private int start(Vertx vertx, Path root) throws IOException {
    return start(vertx, root, new JsonObject());
  }

  private int start(Vertx vertx, Path root, JsonObject socket) throws IOException {
    Files.createDirectories(root);
    dev = SimDevice.builder(vertx).root(root)
        .unit(SshdGenKeysUnit::new).unit(OsSshKeysUnit::new).unit(SshSocketUnit::new)
        .external(ConfigTopics.SSH_KEYS, ConfigTopics.DEVELOPMENT_MODE)
        .settings(s -> s.put("units", new JsonObject().put("ssh-socket", new JsonObject().put("port", 0).mergeIn(socket))))
        .file("/etc/hostname", "view-dev-1\n")
        .file("/etc/os-release", "ID=\"balena-os\"\nNAME=\"balenaOS\"\n")
        .file("/etc/timestamp", "20240101000000\n")
        .file("/etc/udev/rules.d/99-test.rules", "# a rule\n")
        .file("/mnt/boot/config.json", "{\"deviceType\":\"generic-amd64\"}")
        .file("/run/dnsmasq.servers", "server=1.1.1.1\n")
        .build();
    SshFixture.installHostKeys(dev.root());
    SshFixture.configure(dev, List.of(SshFixture.publicKey(ALICE)), true);
    return SshFixture.start(dev);
  }

  private static void deleteTree(Path dir) throws IOException {
    try (var walk = Files.walk(dir)) {
      for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  /** Runs a command string as the suite does ({@code ssh ... 'COMMAND'}); its output, stripped. */
  private static String ssh(int port, String command) {
    Result r = SshFixture.ssh(port, ALICE, command);
    assertEquals(0, r.exit(), command + ": " + r);
    return r.out().strip();
  }
}
