package io.hostmesh.deploy.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 17, item 4: two sim devices on one host, each logged into: each session sees only its own
 * device's files, units, journal and clock, and none reaches the host's clock, mounts or network
 * settings, even through the real programs by full path.
 */
@Timeout(300)
class DeviceIsolationIT {
  @TempDir
  Path tmp;

  @Test
  void twoDevicesEachSeeOnlyTheirOwnAndNeitherReachesTheHost() throws Exception {
    String[] a = SshDevice.addresses(2);
    String hostName = Files.readString(Path.of("/proc/sys/kernel/hostname")).strip();
    int hostYear = Instant.now().atZone(ZoneOffset.UTC).getYear();
    boolean hostHasMntBoot = Files.exists(Path.of("/mnt/boot"));
    JsonObject countryOff = new JsonObject().put("country", new JsonObject().put("enabled", false));
    try (SshDevice one = SshDevice.start(tmp.resolve("one"), a[0], new JsonObject(), c -> c.put("hostname", "device-one"));
         SshDevice two = SshDevice.start(tmp.resolve("two"), a[1], countryOff, c -> c.put("hostname", "device-two"))) {
      one.until("cat /etc/hostname", r -> r.out().strip().equals("device-one"), 40, java.time.Duration.ofMillis(250));
      two.until("cat /etc/hostname", r -> r.out().strip().equals("device-two"), 40, java.time.Duration.ofMillis(250));
      // files: each its own host name, config.json and os-release
      assertEquals("device-one", one.out("hostname"));
      assertEquals("device-two", two.out("hostname"));
      assertTrue(one.out("cat /mnt/boot/config.json").contains(one.uuid));
      assertFalse(one.out("cat /mnt/boot/config.json").contains(two.uuid));
      assertTrue(two.out("cat /mnt/boot/config.json").contains(two.uuid));
      one.out("touch /mnt/boot/written-by-one");
      assertEquals("1", one.out("ls /mnt/boot | grep -c written-by-one"));
      assertEquals("0", two.out("ls /mnt/boot | grep -c written-by-one || true"));
      assertTrue(Files.exists(one.root.resolve("mnt/boot/written-by-one")));
      // nor by the other's host path: hidden (a root under /tmp) or read-only, as the host's own files
      assertEquals("no", one.out("touch " + two.root.resolve("mnt/boot/from-one") + " 2>/dev/null && echo yes || echo no"));
      assertFalse(Files.exists(two.root.resolve("mnt/boot/from-one")));
      assertEquals("no", one.out("test -w /usr && echo yes || echo no"), "the host's root file system is read-only");
      // units: country is turned off on the second device only
      assertEquals("enabled", one.out("systemctl is-enabled country"));
      assertEquals("masked", two.ssh("systemctl is-enabled country").out().strip());
      // journal: each has its own socket's address, never the other's
      String j1 = one.out("journalctl -u sshd.socket -o cat");
      String j2 = two.out("journalctl -u sshd.socket -o cat");
      assertTrue(j1.contains("Listening on " + one.address + ":") && !j1.contains(two.address), j1);
      assertTrue(j2.contains("Listening on " + two.address + ":") && !j2.contains(one.address), j2);
      // clock: the first device goes to 2031, the second and the host stay
      assertEquals(0, one.ssh("date -s '2031-06-01 12:00:00'").exit());
      assertEquals("2031", one.out("date +%Y"));
      assertEquals(Integer.toString(hostYear), two.out("date +%Y"));
      assertEquals(hostYear, Instant.now().atZone(ZoneOffset.UTC).getYear());
      assertTrue(one.out("timedatectl").contains("Local time: Sun 2031-06-01 12:0"), one.out("timedatectl"));

      // the host's clock, mounts, network settings and systemd, by full path: refused
      for (SshDevice d : new SshDevice[] {one, two}) {
        SshDevice.Result date = d.ssh("/bin/date -s '2001-01-01'");
        assertNotEquals(0, date.exit(), date.toString());
        assertTrue(date.err().contains("cannot set date: Operation not permitted"), date.toString());
        SshDevice.Result mount = d.ssh("/bin/mount -t tmpfs hostmesh-escape /mnt");
        assertNotEquals(0, mount.exit(), mount.toString());
        assertTrue(mount.err().contains("permission denied"), mount.toString());
        if (Files.isExecutable(Path.of("/usr/sbin/iptables"))) {
          SshDevice.Result iptables = d.ssh("/usr/sbin/iptables -L");
          assertNotEquals(0, iptables.exit(), iptables.toString());
          assertTrue(iptables.err().contains("Permission denied"), iptables.toString());
        }
        SshDevice.Result systemctl = d.ssh("/bin/systemctl stop ssh.service");
        assertNotEquals(0, systemctl.exit(), "the host's systemd is out of reach: " + systemctl);
        SshDevice.Result hostname = d.ssh("/bin/hostname escaped");
        assertNotEquals(0, hostname.exit(), hostname.toString());
      }
      assertEquals(hostYear, Instant.now().atZone(ZoneOffset.UTC).getYear(), "the host's clock did not move");
      assertEquals(hostName, Files.readString(Path.of("/proc/sys/kernel/hostname")).strip(), "the host keeps its name");
      assertFalse(Files.readString(Path.of("/proc/self/mounts")).contains("hostmesh-"), "nothing of a view on the host");
      assertEquals(hostHasMntBoot, Files.exists(Path.of("/mnt/boot")), "the view's folders are never made on the host");
    }
  }
}
