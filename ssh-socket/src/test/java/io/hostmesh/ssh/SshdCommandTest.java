package io.hostmesh.ssh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hostmesh.schema.config.DevelopmentMode;
import io.hostmesh.schema.ssh.SshdMode;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class SshdCommandTest {
  private final SshdCommand device = new SshdCommand("/usr/sbin/sshd", "/r/prod", "/r/dev", null);
  private final SshdCommand sim = new SshdCommand("/usr/sbin/sshd", "/r/prod", "/r/dev", "/r/shadow");

  @Test
  void modeFollowsConfigGenDevmode() {
    assertEquals(SshdMode.PRODUCTION, SshdCommand.mode(new DevelopmentMode(false, false)));
    assertEquals(SshdMode.PRODUCTION, SshdCommand.mode(new DevelopmentMode(false, true)));
    assertEquals(SshdMode.DEVELOPMENT, SshdCommand.mode(new DevelopmentMode(true, false)));
    assertEquals(SshdMode.DEVELOPMENT_KEYS_ONLY, SshdCommand.mode(new DevelopmentMode(true, true)));
  }

  @Test
  void productionRunsSshdDirectly() {
    assertEquals(List.of("/usr/sbin/sshd", "-i", "-f", "/r/prod"), sim.argv(SshdMode.PRODUCTION));
    assertEquals(List.of("/usr/sbin/sshd", "-i", "-f", "/r/dev"), device.argv(SshdMode.DEVELOPMENT));
    assertEquals(List.of("/usr/sbin/sshd", "-i", "-f", "/r/dev", "-o", "PasswordAuthentication=no"),
        device.argv(SshdMode.DEVELOPMENT_KEYS_ONLY));
  }

  @Test
  void simDevelopmentPassesPathsAsArgumentsNeverInTheScript() {
    List<String> argv = sim.argv(SshdMode.DEVELOPMENT_KEYS_ONLY);
    assertEquals(List.of("unshare", "--mount", "--", "sh", "-c", SshdCommand.NAMESPACE_SCRIPT, "sh", "/r/shadow",
        "/usr/sbin/sshd", "-i", "-f", "/r/dev", "-o", "PasswordAuthentication=no"), argv);
    assertFalse(SshdCommand.NAMESPACE_SCRIPT.contains("/r/"));
  }

  @Test
  void simViewRunsEveryVariantInTheViewWithTheCapabilitiesDroppedAndPathsAsArguments() {
    SshdCommand viewed = new SshdCommand("/usr/sbin/sshd", "/r/prod", "/r/dev", null,
        new DeviceView("/r", "/var/lib/hostmesh/ssh/bin", "/var/lib/hostmesh/ssh/shadow"));
    List<String> prefix = List.of("unshare", "--mount", "--uts", "--propagation", "private", "--", "sh", "-c",
        DeviceView.SCRIPT, "sh", "/r", "/var/lib/hostmesh/ssh/bin");
    List<String> setpriv = List.of("setpriv", "--bounding-set", "-sys_time,-net_admin,-sys_boot,-sys_admin,-sys_module,-sys_rawio,-sys_ptrace", "--");
    List<String> dev = viewed.argv(SshdMode.DEVELOPMENT_KEYS_ONLY);
    assertEquals(prefix, dev.subList(0, prefix.size()));
    assertEquals("/var/lib/hostmesh/ssh/shadow", dev.get(prefix.size()), "development: the empty-password shadow");
    assertEquals(setpriv, dev.subList(prefix.size() + 1, prefix.size() + 5));
    assertEquals(List.of("/usr/sbin/sshd", "-i", "-f", "/r/dev", "-o", "PasswordAuthentication=no"),
        dev.subList(prefix.size() + 5, dev.size()));
    List<String> prod = viewed.argv(SshdMode.PRODUCTION);
    assertEquals("", prod.get(prefix.size()), "production: the host's shadow, as on a production image");
    assertEquals(List.of("/usr/sbin/sshd", "-i", "-f", "/r/prod"), prod.subList(prefix.size() + 5, prod.size()));
    assertFalse(DeviceView.SCRIPT.contains("/r/") || DeviceView.SCRIPT.contains("/var/lib/hostmesh"),
        "no path inside the script's text");
  }

  @Test
  void pathsSshdConfigCannotCarryAreRefused() {
    assertEquals("/tmp/hostmesh-sim-1/etc/ssh", SshPaths.configSafe(Path.of("/tmp/hostmesh-sim-1/etc/ssh")));
    for (String bad : List.of("/tmp/a b", "/tmp/%h", "/tmp/x\"y", "/tmp/a\tb", "/tmp/$(reboot)", "/tmp/a#b")) {
      var e = assertThrows(IllegalArgumentException.class, () -> SshPaths.configSafe(Path.of(bad)));
      assertTrue(e.getMessage().contains("cannot be written into sshd_config"), e.getMessage());
    }
  }

  @Test
  void configsDifferOnlyWhereTheOriginalsDo() {
    String prod = SshdConfigs.render(false, p -> "/root" + p, true);
    String dev = SshdConfigs.render(true, p -> "/root" + p, true);
    assertTrue(prod.contains("PasswordAuthentication no\n") && !prod.contains("PermitEmptyPasswords"), prod);
    assertTrue(dev.contains("PermitEmptyPasswords yes\n") && dev.contains("PermitRootLogin yes\n"), dev);
    assertFalse(dev.contains("PasswordAuthentication no"), dev);
    for (String c : List.of(prod, dev)) {
      assertTrue(c.contains("HostKey /root/etc/ssh/hostkeys/ssh_host_rsa_key\n"), c);
      assertTrue(c.contains("AuthorizedKeysFile /root/home/root/.ssh/authorized_keys\n"), c);
      assertTrue(c.contains("PubkeyAcceptedKeyTypes +ssh-rsa\n"), c);
      assertTrue(c.contains("StrictModes yes\n"), c);
    }
  }
}
