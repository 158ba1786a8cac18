package io.hostmesh.deploy.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.hostmesh.deploy.support.ChildJvm;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code hostmesh demo --exit-when-ready} on a machine with only a JDK: the host's sshd,
 * ssh-keygen and chronyd are hidden in a private mount namespace (each bound over by /dev/null,
 * which is not executable), and the demo still exits 0, the units that need them skipped with the
 * reason and the Debian package to install. Needs root for the mount namespace; skips otherwise.
 */
@Timeout(180)
class FreshMachineDemoIT {
  /** Binds /dev/null over each program that exists, then runs the command. */
  static final String HIDE = "for p in /usr/sbin/sshd /usr/bin/ssh-keygen /usr/bin/ssh /usr/sbin/chronyd /usr/bin/chronyc;"
      + " do if [ -e \"$p\" ]; then mount --bind /dev/null \"$p\" || exit 90; fi; done; exec \"$@\"";

  @Test
  void theDemoSettlesWithoutHostDaemons() throws Exception {
    assumeTrue(canHide(), "no private mount namespace here (unshare -m needs root): cannot hide the host's programs");
    List<String> cmd = new ArrayList<>(List.of("unshare", "-m", "sh", "-c", HIDE, "sh",
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp", ChildJvm.classPath(),
        "io.hostmesh.cli.Main", "demo", "--exit-when-ready", "--timeout", "120"));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    List<String> out = new ArrayList<>();
    try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      for (String l; (l = r.readLine()) != null; ) {
        out.add(l);
      }
    }
    assertTrue(p.waitFor(150, TimeUnit.SECONDS));
    String all = String.join("\n", out);
    assertEquals(0, p.exitValue(), all);
    assertTrue(out.stream().anyMatch(l -> Cli.isState(l, "ssh-socket", "skipped")
        && l.contains("(condition failed: program sshd installed (sim; Debian package openssh-server))")), all);
    assertTrue(out.stream().anyMatch(l -> Cli.isState(l, "sshdgenkeys", "skipped")
        && l.contains("program ssh-keygen installed (sim; Debian package openssh-client)")), all);
    assertTrue(out.stream().anyMatch(l -> Cli.isState(l, "chronyd", "skipped")), all);
    assertTrue(out.stream().anyMatch(l -> l.matches("all \\d+ units settled \\d+ ms after start, none failed")), all);
  }

  private static boolean canHide() throws Exception {
    if (!"root".equals(System.getProperty("user.name"))) {
      return false;
    }
    Process p = new ProcessBuilder("unshare", "-m", "sh", "-c", HIDE, "sh", "sh", "-c", "! test -x /usr/sbin/sshd")
        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
  }
}
