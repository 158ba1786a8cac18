package io.hostmesh.hostos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hostmesh.schema.config.ConfigTopics;
import io.hostmesh.schema.config.Projections.PersistentLoggingConfig;
import io.hostmesh.testing.ScriptedUnit;
import io.hostmesh.unit.UnitDescriptor;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code journalctl --list-boots} and {@code journalctl -b [N|ID]} of an SSH session (the shell
 * routes, {@code POST /v1/shell/journalctl}) over a real {@link SimLifecycle} that reboots in one
 * process, one HTTP API per boot: the boots and their lines are those of {@code GET /v1/boots}
 * and {@code /v1/logs?boot=}, numbered as journalctl numbers them. Persistent logging is on, as the
 * suite's persistentLogging test turns it on.
 */
@ExtendWith(VertxExtension.class)
@Timeout(120)
class JournalctlBootsTest {
  /** What one command gave: exit status, standard output, standard error (escaped as the header carries it). */
  private record Out(int exit, String out, String err) {}

  @Test
  void listBootsGrowsByOnePerRebootAndDashBNamesEachKeptBoot(Vertx vertx) {
    // config.json's persistentLogging as the config watcher would latch it
    var persistent = (java.util.function.Supplier<ScriptedUnit>) () -> new ScriptedUnit(
        UnitDescriptor.named("persistent-logging-config").publishes(ConfigTopics.PERSISTENT_LOGGING).build(), u -> {
          u.bus().publish(ConfigTopics.PERSISTENT_LOGGING, new PersistentLoggingConfig(true));
          return Future.succeededFuture();
        });
    try (HupDevice d = new HupDevice(vertx, BootEnv.Kind.UBOOT, SimOs.DEFAULT_VERSION, new JsonObject(), List.of(persistent),
        true)) {
      WebClient web = WebClient.create(vertx);
      d.start();
      assertEquals(1, sh(web, d, "--list-boots").out().lines().count());
      for (int boot = 2; boot <= 3; boot++) {
        d.dev.reboot("test").await();
        d.settle(boot);
        Out list = sh(web, d, "--list-boots");
        assertEquals(0, list.exit(), list.toString());
        assertEquals(boot, list.out().lines().count(), "one line more per reboot: " + list.out());
      }

      List<String> ids = array(web, d, "/v1/boots").stream().map(b -> ((JsonObject) b).getString("bootId")).toList();
      List<String> lines = sh(web, d, "--list-boots").out().lines().toList();
      for (int i = 0; i < 3; i++) {
        assertTrue(lines.get(i).matches(" *" + (i - 2) + " " + ids.get(i) + " \\w{3} \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d UTC—"
            + "\\w{3} \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d UTC"), "as GET /v1/boots numbers them: " + lines.get(i));
      }

      // -b: this boot; -b -1 the one before; -b 1 the oldest; -b ID any kept one
      assertBoot(sh(web, d, "-b", "-o", "cat"), 3, ids.get(2));
      assertBoot(sh(web, d, "-b", "0", "-o", "cat"), 3, ids.get(2));
      assertBoot(sh(web, d, "-b", "-1", "-o", "cat"), 2, ids.get(1));
      assertBoot(sh(web, d, "-b-2", "-o", "cat"), 1, ids.get(0));
      assertBoot(sh(web, d, "-b", "1", "-o", "cat"), 1, ids.get(0));
      assertBoot(sh(web, d, "--boot=+2", "-o", "cat"), 2, ids.get(1));
      assertBoot(sh(web, d, "-b", ids.get(1), "-o", "cat"), 2, ids.get(1));
      assertBoot(sh(web, d, "-b", ids.get(0).toUpperCase(), "-o", "cat"), 1, ids.get(0));
      assertTrue(sh(web, d, "-b", "-1").out().lines().allMatch(l -> l.matches("\\w{3} \\d\\d \\d\\d:\\d\\d:\\d\\d .+\\[\\d+]: .*")),
          "journald's short lines");

      // without -b: every kept boot, oldest first, a marker where the boot changes
      String all = sh(web, d).out();
      assertTrue(all.indexOf("Boot 1 (") < all.indexOf("-- Boot " + ids.get(1) + " --")
          && all.indexOf("-- Boot " + ids.get(1) + " --") < all.indexOf("Boot 2 (")
          && all.indexOf("Boot 2 (") < all.indexOf("-- Boot " + ids.get(2) + " --")
          && all.indexOf("-- Boot " + ids.get(2) + " --") < all.indexOf("Boot 3 ("), all);

      // boots not kept, and arguments that name no boot: journalctl's messages, exit 1
      String notKept = "Data from the specified boot (%s) is not available: No such boot ID in journal\n";
      assertEquals(new Out(1, "", String.format(notKept, "-3")), sh(web, d, "-b", "-3"));
      assertEquals(new Out(1, "", String.format(notKept, "4")), sh(web, d, "-b", "4"));
      assertEquals(new Out(1, "", String.format(notKept, "0".repeat(32))), sh(web, d, "-b", "0".repeat(32)));
      assertEquals(new Out(1, "", "Failed to parse boot descriptor 'yesterday'\n"), sh(web, d, "--boot=yesterday"));
      assertEquals(3, array(web, d, "/v1/boots").size(), "nothing changed");
      web.close();
    }
  }

  /** The lines of boot {@code n}: its bootloader line, and no other boot's. */
  private static void assertBoot(Out o, int n, String id) {
    assertEquals(0, o.exit(), o.toString());
    assertTrue(o.out().contains("Boot " + n + " (" + id + ")"), "boot " + n + ": " + o.out());
    for (int other = 1; other <= 3; other++) {
      if (other != n) {
        assertFalse(o.out().contains("Boot " + other + " ("), "no line of boot " + other + ": " + o.out());
      }
    }
  }

  private static Out sh(WebClient web, HupDevice d, String... args) {
    MultiMap form = MultiMap.caseInsensitiveMultiMap().add("argv0", "journalctl");
    for (String a : args) {
      form.add("arg", a);
    }
    HttpResponse<Buffer> r = web.post(d.apiPort(), "127.0.0.1", "/v1/shell/journalctl").sendForm(form).await();
    String err = r.getHeader("Hostmesh-Stderr");
    return new Out(Integer.parseInt(r.getHeader("Hostmesh-Exit")), r.bodyAsString() == null ? "" : r.bodyAsString(),
        err == null ? "" : err.replace("\\n", "\n"));
  }

  private static JsonArray array(WebClient web, HupDevice d, String path) {
    return web.get(d.apiPort(), "127.0.0.1", path).send().await().bodyAsJsonArray();
  }
}
