package io.hostmesh.deploy.process;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code run} and {@code demo} with {@code --exit-when-ready}, in this JVM with every unit of the
 * distribution: the settled line comes after the last state change of the boot and names the
 * failed units; {@code --timeout} lists what is unsettled and exits 75; the demo takes free ports
 * and removes its temporary root; {@code demo --root} on an existing device rewrites nothing.
 */
@Timeout(180)
class RunReadyTest {
  private static final Pattern SETTLED = Pattern.compile("all (\\d+) units settled \\d+ ms after start, (.*)");

  @TempDir
  Path tmp;

  @Test
  void theTimeoutNamesEachUnsettledUnitAndWhatItWaitsFor() throws Exception {
    Path root = Cli.device(tmp.resolve("dev"));
    Files.writeString(root.resolve("var/lib/hostmesh/sim-network"), "down\n"); // timesync-https then polls for ever
    assertEquals(0, Cli.run("config", "set", "--root", root.toString(), "os.network.connectivity.uri",
        "https://127.0.0.1:9/connectivity-check").code());
    Cli.Result r = Cli.run("run", "--root", root.toString(), "--exit-when-ready", "--timeout", "2");
    assertEquals(75, r.code(), r.err());
    // the units' own log lines go to standard error too: the runner's is the one line it prints
    String line = r.err().lines().filter(l -> l.startsWith("hostmesh: ")).reduce((x, y) -> x + "\n" + y).orElse("");
    // at least timesync-https and what waits for it; on a loaded machine sshdgenkeys may still be generating keys
    assertTrue(line.matches("hostmesh: \\d+ unit\\(s\\) not settled within 2 s \\(--timeout\\): [^\\n]+"), r.err());
    // network.target is up (NetworkManager started) with the link down: timesync-https polls with its back-off
    assertTrue(line.contains("timesync-https activating"), line);
    assertTrue(line.contains("chronyd waiting (waiting for time-sync-https-wait)"), line);
    assertFalse(r.out().contains("units settled"), r.out());
    assertEquals(64, Cli.run("run", "--root", root.toString(), "--exit-when-ready", "--timeout", "0").code());
  }

  @Test
  void theSettledLineComesAfterTheLastChangeAndNamesTheFailedUnits() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      Path root = tmp.resolve("dev");
      assertEquals(0, Cli.run("sim", "init", root.toString(), "--port", "0", "--ssh-port",
          Integer.toString(taken.getLocalPort())).code());
      Cli.Result r = Cli.run("run", "--root", root.toString(), "--exit-when-ready");
      assertEquals(1, r.code(), r.out() + r.err());
      List<String> out = r.out().lines().toList();
      int settled = indexOf(out, SETTLED);
      Matcher m = SETTLED.matcher(out.get(settled));
      assertTrue(m.matches());
      assertEquals("1 failed: ssh-socket", m.group(2));
      // after it, only the stop: no unit reaches a boot state any more
      assertTrue(out.subList(settled + 1, out.size()).stream()
          .noneMatch(l -> l.matches("\\s*\\d+\\.\\d+s\\s+\\S+\\s+(waiting|activating|active|exited|failed|skipped)\\b.*")),
          String.join("\n", out));
      assertTrue(out.subList(0, settled).stream().anyMatch(l -> Cli.isState(l, "ssh-socket", "failed")));
    }
  }

  @Test
  void theDemoTakesFreePortsAndRemovesItsTemporaryRoot() throws Exception {
    Cli.Result r = Cli.run("demo", "--exit-when-ready");
    assertEquals(0, r.code(), r.out() + r.err());
    Matcher root = Pattern.compile("demo device root: (\\S+) \\(removed when the demo ends\\)").matcher(r.out());
    assertTrue(root.find(), r.out());
    assertFalse(Files.exists(Path.of(root.group(1))), "the temporary root is gone");
    Matcher ssh = Pattern.compile("\\[ssh-socket]\\[INFO] Listening on 127\\.0\\.0\\.1:(\\d+)").matcher(r.err());
    if (ssh.find()) { // ssh-socket runs where sshd is installed
      assertTrue(Integer.parseInt(ssh.group(1)) != 22222, "a free port, not a device's 22222");
    }
    assertTrue(r.out().contains(", none failed"), r.out());
  }

  @Test
  void theDemoOnAnExistingDeviceRewritesNothing() throws Exception {
    Path root = Cli.device(tmp.resolve("dev"));
    byte[] config = Files.readAllBytes(root.resolve("mnt/boot/config.json"));
    byte[] settings = Files.readAllBytes(root.resolve("etc/hostmesh/hostmesh.json"));
    Cli.Result r = Cli.run("demo", "--root", root.toString(), "--exit-when-ready");
    assertTrue(r.code() == 0, r.out() + r.err());
    assertTrue(r.out().contains("demo: " + root + " holds a device already: its config.json and settings are used as they are"),
        r.out());
    assertArrayEquals(config, Files.readAllBytes(root.resolve("mnt/boot/config.json")), "config.json not rewritten");
    assertArrayEquals(settings, Files.readAllBytes(root.resolve("etc/hostmesh/hostmesh.json")), "settings not rewritten");
    assertTrue(Files.isDirectory(root), "a given root is kept");
  }

  @Test
  void unusablePluginJarsAreNamedAndSkipped() throws Exception {
    Path root = Cli.device(tmp.resolve("dev"));
    Path plugins = Files.createDirectories(root.resolve("var/lib/hostmesh/plugins"));
    Path broken = Files.writeString(plugins.resolve("broken.jar"), "not a zip file");
    Path missing = plugins.resolve("missing.jar");
    try (var jar = new java.util.jar.JarOutputStream(Files.newOutputStream(missing))) {
      jar.putNextEntry(new java.util.jar.JarEntry("META-INF/services/io.hostmesh.unit.UnitVerticle"));
      jar.write("# a unit\ncom.example.Nope\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));
      jar.closeEntry();
    }
    Cli.Result r = Cli.run("run", "--root", root.toString(), "--exit-when-ready");
    assertEquals(0, r.code(), r.err());
    List<String> err = r.err().lines().toList();
    assertTrue(err.contains("hostmesh: plugin jar " + broken + " skipped: not a readable jar (zip END header not found)"),
        r.err());
    assertTrue(err.contains("hostmesh: plugin jar " + missing + " skipped: META-INF/services/io.hostmesh.unit.UnitVerticle"
        + " names com.example.Nope, which is not in the jar"), r.err());
    assertFalse(r.err().contains("plugin jar(s)"), "no jar was usable: " + r.err());
    assertTrue(r.out().contains(", none failed"), r.out());
  }

  private static int indexOf(List<String> lines, Pattern p) {
    for (int i = 0; i < lines.size(); i++) {
      if (p.matcher(lines.get(i)).matches()) {
        return i;
      }
    }
    throw new AssertionError("no line matching " + p + ":\n" + String.join("\n", lines));
  }
}
