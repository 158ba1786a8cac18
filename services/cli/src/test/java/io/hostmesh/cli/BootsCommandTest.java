package io.hostmesh.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hostmesh.api.HttpApi;
import io.hostmesh.hostos.SimLifecycle;
import io.hostmesh.mesh.Mesh;
import io.hostmesh.schema.hostos.BootDecision;
import io.hostmesh.schema.hostos.HostOsTopics;
import io.hostmesh.testing.ScriptedUnit;
import io.hostmesh.unit.UnitDescriptor;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code hostmesh logs --list-boots}, {@code logs -b N} and {@code analyze --boot N} against a real
 * {@link SimLifecycle} device rebooted through {@code hostmesh sim reboot}, its HTTP API on
 * 127.0.0.1 redeployed on every boot on the same port (as {@code hostmesh run --profile sim}).
 */
@ExtendWith(VertxExtension.class)
@Timeout(120)
class BootsCommandTest {
  @Test
  void listBootsLogsOfABootAndAnalyzeOfABoot(Vertx vertx) throws IOException {
    Path root = Files.createTempDirectory("hostmesh-boots-");
    AtomicReference<HttpApi> api = new AtomicReference<>();
    int[] port = {0};
    SimLifecycle dev = SimLifecycle.builder(vertx, root)
        .units(b -> b.unit(() -> new ScriptedUnit(UnitDescriptor.named("hello").build(), u -> {
          int n = u.bus().latest(HostOsTopics.BOOT).map(BootDecision::boot).orElse(-1);
          u.log().info("hello from boot " + n);
          return Future.succeededFuture();
        })))
        .logSink(l -> { })
        .beforeStart(m -> {
          HttpApi a = new HttpApi(m, "127.0.0.1", port[0]);
          return vertx.deployVerticle(a).map(id -> {
            port[0] = a.port();
            api.set(a);
            return null;
          });
        })
        .beforeStop(m -> {
          HttpApi a = api.getAndSet(null);
          return a == null ? Future.succeededFuture() : a.shutdown(Duration.ofSeconds(2)).compose(v -> vertx.undeploy(a.deploymentID()));
        })
        .build();
    try {
      dev.start().await();
      settled(dev, 1);
      String p = Integer.toString(port[0]);
      Cli list = Cli.run("logs", "--list-boots", "--port", p);
      assertEquals(0, list.code(), list.toString());
      List<String> lines = list.out().lines().toList();
      assertEquals(2, lines.size(), list.out());
      assertTrue(lines.get(0).matches("IDX BOOT ID +FIRST ENTRY +LAST ENTRY"), lines.get(0));
      assertTrue(lines.get(1).matches("  0 " + dev.mesh().bootId() + " \\w{3} \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d UTC"
          + " \\w{3} \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d UTC"), lines.get(1));

      for (int n = 2; n <= 3; n++) {
        Cli reboot = Cli.run("sim", "reboot", "--port", p);
        assertEquals(0, reboot.code(), reboot.toString());
        settled(dev, n);
        list = Cli.run("logs", "--list-boots", "--port", p);
        assertEquals(n + 1, list.out().lines().count(), "one more line per reboot: " + list);
      }
      lines = list.out().lines().toList();
      assertTrue(lines.get(1).startsWith(" -2 ") && lines.get(2).startsWith(" -1 ") && lines.get(3).startsWith("  0 "), list.out());
      String previous = lines.get(2).substring(4, 36);
      assertTrue(Cli.run("logs", "--list-boots", "--json", "--port", p).out().lines()
          .allMatch(l -> l.startsWith("{\"index\":") && l.contains("\"end\":")), "--json: one boot per line");

      Cli before = Cli.run("logs", "-b", "-1", "--port", p);
      assertEquals(0, before.code(), before.toString());
      assertTrue(before.out().contains("hello from boot 2") && !before.out().contains("hello from boot 3"), before.out());
      assertEquals(before.out(), Cli.run("logs", "--boot", previous, "--port", p).out(), "by id");
      assertEquals(before.out(), Cli.run("logs", "-b-1", "--port", p).out(), "as journalctl -b-1");
      Cli now = Cli.run("logs", "-b", "--port", p);
      assertTrue(now.out().contains("hello from boot 3") && !now.out().contains("hello from boot 2"), "-b alone: this boot " + now);
      Cli all = Cli.run("logs", "-b", "all", "hello", "--port", p);
      assertEquals(0, all.code(), all.toString());
      assertTrue(all.out().contains("-- Boot " + previous + " --\n"), "a marker where each boot's lines begin: " + all.out());
      assertTrue(all.out().indexOf("hello from boot 1") < all.out().indexOf("hello from boot 2")
          && all.out().indexOf("hello from boot 2") < all.out().indexOf("hello from boot 3"), all.out());

      Cli analyze = Cli.run("analyze", "--boot", "-1", "--port", p);
      assertEquals(0, analyze.code(), analyze.toString());
      assertTrue(analyze.out().startsWith("Startup finished in "), analyze.out());
      Cli json = Cli.run("analyze", "--boot", "-1", "--json", "--port", p);
      assertTrue(json.out().contains("\"bootId\":\"" + previous + "\""), json.out());
      Cli blame = Cli.run("analyze", "blame", "--boot", "-1", "--port", p);
      assertEquals(0, blame.code(), blame.toString());
      assertTrue(blame.out().contains(" hello\n") && !blame.out().contains("Not settled yet"), "as boot 2 stood: " + blame.out());
      Cli plot = Cli.run("analyze", "--boot", "-1", "plot", "--port", p);
      assertEquals(0, plot.code(), plot.toString());
      assertTrue(plot.out().contains("hello (exited)"), plot.out());

      // bad values: one line naming the problem, exit 64
      assertUsage(Cli.run("logs", "-b", "x", "--port", p), "hostmesh logs: --boot must be 0 (this boot), -1, -2, ... (the ones"
          + " before), a boot id (32 hex digits) or all, not 'x'\n");
      assertUsage(Cli.run("logs", "-b", "-9", "--port", p), "hostmesh logs: no boot -9 (kept: -2..0)\n");
      assertUsage(Cli.run("logs", "-b", "0123456789abcdef0123456789abcdef", "--port", p),
          "hostmesh logs: no boot 0123456789abcdef0123456789abcdef (kept: -2..0)\n");
      assertUsage(Cli.run("logs", "-b", "-1", "-f", "--port", p),
          "hostmesh logs: follow: only this boot's lines can be followed (leave out boot, or boot=0)\n");
      assertUsage(Cli.run("logs", "--list-boots", "-b", "-1", "--port", p),
          "hostmesh logs: --list-boots lists the boots: it takes no UNIT, -f, -n, --since or -b\n");
      assertUsage(Cli.run("analyze", "--boot", "-9", "--port", p), "hostmesh analyze: no boot -9 (kept: -2..0)\n");
      assertUsage(Cli.run("analyze", "blame", "--boot", "all", "--port", p), "hostmesh analyze blame: --boot must be 0 (this"
          + " boot), -1, -2, ... (the ones before), a boot id (32 hex digits), not 'all'\n");
      CliErrorsTest.Result missing = CliErrorsTest.cli("analyze", "--boot", "--port", p);
      assertEquals(64, missing.code());
      assertEquals("hostmesh analyze: Expected parameter for option '--boot' but found '--port' (see hostmesh analyze --help)",
          missing.line());
      Cli unknown = Cli.run("logs", "-b", "-1", "nosuchunit", "--port", p);
      assertEquals(1, unknown.code(), "an unknown unit stays exit 1: " + unknown);
    } finally {
      if (dev.state() != SimLifecycle.State.OFF) {
        io.hostmesh.platform.Poll.until(vertx, Duration.ofSeconds(20), Duration.ofMillis(5), "device not busy", () -> !dev.busy())
            .await();
        dev.powerOff("test end").await();
      }
      try (var walk = Files.walk(root)) {
        walk.sorted(Comparator.reverseOrder()).forEach(x -> x.toFile().delete());
      }
    }
    assertFalse(Files.exists(root));
  }

  private static void assertUsage(Cli r, String err) {
    assertEquals(64, r.code(), r.toString());
    assertEquals(err, r.err());
  }

  /** Boot {@code n} is up, its API deployed and every unit settled. */
  private static void settled(SimLifecycle dev, int n) {
    Mesh m = dev.awaitBoot(n).await();
    m.whenSettled().await();
  }
}
