package io.hostmesh.deploy.container;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hostmesh.cli.Main;
import io.hostmesh.deploy.support.ChildJvm;
import io.vertx.core.json.JsonObject;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The container's device (chronyd, chrony-sources, ssh-socket and sshdgenkeys off) run by a real
 * {@code hostmesh run} in a child JVM, on loopback and a free port: {@code hostmesh status --root}
 * lists every unit, the 4 turned off as {@code disabled}, the others start; {@code hostmesh stop
 * --root} stops it as SIGTERM would (fake-hwclock saves the time) and leaves no port file behind.
 */
@Timeout(180)
class ContainerUnitsIT {
  private static final Duration LIMIT = Duration.ofSeconds(120);
  @TempDir Path root;

  @Test
  void disabledUnitsAreListedAndStopByRootStopsTheDevice() throws Exception {
    JsonObject settings = new JsonObject(ContainerMain.SETTINGS);
    settings.getJsonObject("api").put("host", "127.0.0.1").put("port", 0);
    Path file = root.resolve("etc/hostmesh/hostmesh.json");
    Files.createDirectories(file.getParent());
    Files.writeString(file, settings.encodePrettily());
    ContainerMain.prepare(root);

    try (ChildJvm device = ChildJvm.hostmesh(List.of(), Map.of(), "run", "--profile", "sim", "--root", root.toString())) {
      device.await(l -> l.matches(".*\\bfake-hwclock\\s+exited\\b.*"), LIMIT);
      device.await(l -> l.startsWith("API on http://127.0.0.1:"), LIMIT);
      Path portFile = root.resolve("run/hostmesh/api.port");
      assertTrue(Files.exists(portFile), "the free port chosen is written for --root");

      String[] status = cli("status", "--root", root.toString());
      assertEquals("0", status[0], status[1] + status[2]);
      for (String off : List.of("chronyd", "chrony-sources", "ssh-socket", "sshdgenkeys")) {
        assertTrue(status[1].matches("(?s).*\\n " + off + " +\\w+ +disabled +.*"), off + " listed as disabled:\n" + status[1]);
      }
      // every unit of the distribution is listed (27 with the host-OS units), the 4 turned off as disabled
      assertTrue(status[1].matches("(?s).*\\n\\d+ units listed, 0 failed, 4 disabled\\.\\n.*"), status[1]);

      String[] stop = cli("stop", "--root", root.toString());
      assertEquals("0", stop[0], stop[1] + stop[2]);
      assertTrue(stop[1].startsWith("stopped the device at http://127.0.0.1:"), stop[1]);
      assertEquals(0, device.waitFor(LIMIT), String.join("\n", device.lines()));
      assertTrue(Files.exists(root.resolve("etc/fake-hwclock/fake-hwclock.data")), "fake-hwclock saved the time at stop");
      assertFalse(Files.exists(portFile), "no port file left behind");
    }
  }

  /** A hostmesh command in this JVM: exit code, standard output, standard error. */
  private static String[] cli(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.commandLine(args).setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true)).execute(args);
    return new String[] {Integer.toString(code), out.toString(), err.toString()};
  }
}
