package io.hostmesh.hostos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Boots kept apart across reboots in one process: {@code GET /v1/boots}, {@code /v1/logs?boot=},
 * {@code /v1/timeline?boot=} and {@code /v1/boot?boot=} through the real HTTP API of a real
 * {@link SimLifecycle} on virtual time (one API per boot, on the same port).
 */
@ExtendWith(VertxExtension.class)
@Timeout(120)
class BootsApiTest {
  private static HupDevice device(Vertx vertx, JsonObject settings) {
    return new HupDevice(vertx, BootEnv.Kind.UBOOT, SimOs.DEFAULT_VERSION, settings, List.of(), true);
  }

  @Test
  void rebootsAndAPowerCutAreKeptApart(Vertx vertx) {
    try (HupDevice d = device(vertx, new JsonObject())) {
      WebClient web = WebClient.create(vertx);
      d.start();
      JsonArray boots = array(web, d, "/v1/boots");
      assertEquals(1, boots.size(), boots.encode());
      assertEquals(0, boots.getJsonObject(0).getInteger("index"));
      assertEquals(d.mesh().bootId(), boots.getJsonObject(0).getString("bootId"), "the mesh's boot id");
      assertEquals("running", boots.getJsonObject(0).getString("end"));

      // a clock set by the sim controls is in this boot's timeline, and stays in it once the boot has ended
      HttpResponse<Buffer> clock = send(web, d, "POST", "/v1/sim/clock", "{\"skewSeconds\": -120}");
      assertEquals(200, clock.statusCode(), clock.bodyAsString());
      JsonObject simSet = null;
      for (int i = 0; i < 200 && simSet == null; i++) { // the bus delivers the ClockSet after the answer; bounded wait
        simSet = clockSet(array(web, d, "/v1/timeline"));
        if (simSet == null) {
          vertx.timer(10).await();
        }
      }
      assertNotNull(simSet, "a ClockSet with source sim in /v1/timeline");
      assertEquals(-120, Duration.between(java.time.Instant.parse(simSet.getString("previous")),
          java.time.Instant.parse(simSet.getString("now"))).toSeconds(), 1);

      d.dev.reboot("first").await();
      d.settle(2);
      d.dev.reboot("second").await();
      d.settle(3);

      boots = array(web, d, "/v1/boots");
      assertEquals(3, boots.size(), boots.encode());
      List<String> ids = boots.stream().map(b -> ((JsonObject) b).getString("bootId")).toList();
      assertEquals(3, new HashSet<>(ids).size(), "distinct ids: " + ids);
      assertEquals(List.of(-2, -1, 0), boots.stream().map(b -> ((JsonObject) b).getInteger("index")).toList());
      assertEquals(List.of("reboot", "reboot", "running"), boots.stream().map(b -> ((JsonObject) b).getString("end")).toList());
      assertEquals(d.mesh().bootId(), ids.get(2));
      for (int i = 0; i < 3; i++) {
        JsonObject b = boots.getJsonObject(i);
        assertEquals(i + 1, b.getJsonObject("decision").getInteger("boot"), b.encode());
        assertEquals(ids.get(i), b.getJsonObject("decision").getString("bootId"), "the bootloader's id is the mesh's");
        assertNotNull(b.getString("started"));
        assertEquals(i < 2, b.getValue("ended") != null, b.encode());
        assertEquals(Set.of("index", "bootId", "started", "ended", "end", "decision"), b.fieldNames(), "the contract's fields");
      }

      // each boot's journal is its own: the bootloader unit logs "Boot N (<id>)" once per boot
      JsonArray before = array(web, d, "/v1/logs?boot=-1");
      assertTrue(messages(before).contains("Boot 2 (" + ids.get(1) + "): "), "boot -1 is boot 2");
      assertFalse(messages(before).contains("Boot 3 ("), "no line of the current boot");
      assertTrue(before.stream().allMatch(e -> ids.get(1).equals(((JsonObject) e).getString("bootId"))
          && ids.get(1).equals(((JsonObject) e).getString("boot"))), "every line carries its boot id");
      JsonArray now = array(web, d, "/v1/logs");
      assertTrue(messages(now).contains("Boot 3 (") && !messages(now).contains("Boot 2 ("), "default: this boot");
      assertEquals(now.encode(), array(web, d, "/v1/logs?boot=0").encode());
      assertTrue(messages(array(web, d, "/v1/logs?boot=" + ids.get(0))).contains("Boot 1 ("), "by id");
      assertTrue(messages(array(web, d, "/v1/logs?boot=1")).contains("Boot 1 ("), "1: the oldest kept, as journalctl");
      String all = messages(array(web, d, "/v1/logs?boot=all"));
      assertTrue(all.indexOf("Boot 1 (") < all.indexOf("Boot 2 (") && all.indexOf("Boot 2 (") < all.indexOf("Boot 3 ("), all);
      assertEquals(1, array(web, d, "/v1/logs?boot=-1&unit=bootloader&lines=1").size());
      assertEquals(2, array(web, d, "/v1/logs?boot=all&unit=bootloader&lines=2").size());

      // the timeline of boot -1 is that boot's: its units stopped at its end, its uptime from its own start
      JsonArray t1 = array(web, d, "/v1/timeline?boot=-1");
      JsonArray t0 = array(web, d, "/v1/timeline");
      assertNotEquals(t1.encode(), t0.encode());
      assertTrue(t1.stream().anyMatch(e -> "DEACTIVATING".equals(((JsonObject) e).getString("state"))), "boot 2 stopped");
      assertTrue(t0.stream().noneMatch(e -> "DEACTIVATING".equals(((JsonObject) e).getString("state"))), "boot 3 runs");
      assertTrue(t0.getJsonObject(0).getLong("uptimeMillis") < 1000, "uptime counts from each boot: " + t0.getJsonObject(0));
      assertEquals(array(web, d, "/v1/timeline?boot=" + ids.get(1)).encode(), t1.encode());
      assertNotNull(clockSet(array(web, d, "/v1/timeline?boot=-2")), "boot 1's sim clock set stays in boot 1's timeline");
      assertNull(clockSet(t1), "and only there");
      JsonObject summary = object(web, d, "/v1/boot?boot=-1");
      assertEquals(ids.get(1), summary.getString("bootId"));
      assertTrue(summary.getLong("finishedMillis") >= 0, "boot 2 had finished: " + summary);
      assertEquals(List.of(), summary.getJsonArray("unsettled").getList(), "as it stood before its units stopped");
      JsonArray units = array(web, d, "/v1/units?boot=-1");
      assertTrue(units.size() > 3 && units.stream().map(JsonObject.class::cast)
          .allMatch(u -> Set.of("ACTIVE", "EXITED", "SKIPPED", "DISABLED").contains(u.getString("state"))), units.encode());

      // a power cut: the boot ends "power-cut" and the next one runs
      HttpResponse<Buffer> cut = send(web, d, "POST", "/v1/sim/power-cut", "");
      assertEquals(202, cut.statusCode(), cut.bodyAsString());
      d.settle(4);
      boots = array(web, d, "/v1/boots");
      assertEquals(List.of("reboot", "reboot", "power-cut", "running"),
          boots.stream().map(b -> ((JsonObject) b).getString("end")).toList());
      assertTrue(messages(array(web, d, "/v1/logs?boot=-1")).contains("Boot 3 ("), "the cut boot's lines are kept");

      // bad values: 400 malformed, 404 not kept; nothing else changes
      assertError(web, d, "/v1/logs?boot=x", 400, "boot must be 0 (this boot), -1, -2, ... (the ones before), a boot id"
          + " (32 hex digits) or all, not 'x'");
      assertError(web, d, "/v1/logs?boot=-9", 404, "no boot -9 (kept: -3..0)");
      assertError(web, d, "/v1/timeline?boot=-4", 404, "no boot -4 (kept: -3..0)");
      assertError(web, d, "/v1/boot?boot=5", 404, "no boot 5 (kept: -3..0)");
      assertError(web, d, "/v1/units?boot=-4", 404, "no boot -4 (kept: -3..0)");
      assertError(web, d, "/v1/logs?boot=" + "0".repeat(32), 404, "no boot " + "0".repeat(32) + " (kept: -3..0)");
      assertError(web, d, "/v1/logs?boot=--1", 400, null);
      assertError(web, d, "/v1/logs?boot=", 400, null);
      assertError(web, d, "/v1/timeline?boot=all", 400, "boot=all is for /v1/logs: this is one boot's (GET /v1/boots lists them)");
      assertError(web, d, "/v1/logs?boot=-1&follow", 400,
          "follow: only this boot's lines can be followed (leave out boot, or boot=0)");
      assertError(web, d, "/v1/logs?boot=all&after=3", 400, "after is a place in one boot's journal: give boot too, not all");
      assertError(web, d, "/v1/logs?boot=-1&unit=nosuchunit", 404, "no unit named nosuchunit");
      assertEquals(4, array(web, d, "/v1/boots").size());
      web.close();
    }
  }

  /** More than 64 boots: the oldest go; the journals of the ended boots together keep at most journal.size lines. */
  @Test
  void keepsTheLast64BootsAndABoundedJournal(Vertx vertx) {
    int size = 40;
    int timelineSize = 50;
    JsonObject settings = new JsonObject().put("journal", new JsonObject().put("size", size))
        .put("timeline", new JsonObject().put("size", timelineSize));
    try (HupDevice d = device(vertx, settings)) {
      WebClient web = WebClient.create(vertx);
      d.start();
      String first = d.mesh().bootId();
      int reboots = BootHistory.BOOTS + 2;
      for (int n = 2; n <= reboots + 1; n++) {
        d.dev.reboot("loop").await();
        d.settle(n);
      }
      JsonArray boots = array(web, d, "/v1/boots");
      assertEquals(BootHistory.BOOTS, boots.size());
      assertEquals(-(BootHistory.BOOTS - 1), boots.getJsonObject(0).getInteger("index"));
      assertEquals(reboots + 1 - (BootHistory.BOOTS - 1), boots.getJsonObject(0).getJsonObject("decision").getInteger("boot"));
      assertEquals(BootHistory.BOOTS, d.dev.history().size());
      assertError(web, d, "/v1/logs?boot=" + first, 404, "no boot " + first + " (kept: -63..0)");
      int kept = array(web, d, "/v1/logs?boot=all").size() - array(web, d, "/v1/logs").size();
      assertTrue(kept <= size && kept > 0, "ended boots keep " + kept + " lines, at most " + size);
      assertTrue(array(web, d, "/v1/logs?boot=-1").size() > 0, "the newest ended boot keeps its lines");
      assertEquals(0, array(web, d, "/v1/logs?boot=-63").size(), "the oldest boots' lines went first");
      List<BootRecord> h = d.dev.history();
      int entries = 0;
      for (int i = 0; i < h.size() - 1; i++) {
        entries += array(web, d, "/v1/timeline?boot=" + (i - (h.size() - 1))).size();
      }
      assertTrue(entries <= timelineSize && entries > 0, "ended boots keep " + entries + " timeline entries, at most " + timelineSize);
      assertFalse(h.get(h.size() - 2).timeline().isEmpty(), "the newest ended boot keeps its timeline");
      assertTrue(h.get(0).timeline().isEmpty(), "the oldest went first");
      web.close();
    }
  }

  /** A slot without init: its boots fail before any unit starts, and are listed "failed" with no lines, summary or units. */
  @Test
  void bootsThatNeverReachedUserspaceAreListedFailed(Vertx vertx) {
    try (HupDevice d = device(vertx, HupDevice.health(600, 3))) {
      WebClient web = WebClient.create(vertx);
      d.start();
      d.hup("2.89.0", "init");
      d.settle(6); // u-boot: boots 2, 3, 4 fail, boot 5 falls back, rollback-altboot reboots it
      JsonArray boots = array(web, d, "/v1/boots");
      assertEquals(List.of("reboot", "failed", "failed", "failed", "reboot", "running"),
          boots.stream().map(b -> ((JsonObject) b).getString("end")).toList());
      JsonObject failed = boots.getJsonObject(1);
      assertEquals(-4, failed.getInteger("index"));
      assertEquals(failed.getString("started"), failed.getString("ended"), "over before it began");
      assertFalse(failed.getJsonObject("decision").getBoolean("userspace"));
      assertEquals(0, array(web, d, "/v1/logs?boot=-4").size());
      assertEquals(0, array(web, d, "/v1/timeline?boot=-4").size());
      String why = "boot -4 (" + failed.getString("bootId") + ") never reached userspace: "
          + failed.getJsonObject("decision").getString("message");
      assertError(web, d, "/v1/boot?boot=-4", 404, why);
      assertError(web, d, "/v1/units?boot=-4", 404, why);
      assertTrue(messages(array(web, d, "/v1/logs?boot=-1")).contains("Looks like we are running in altboot mode"));
      web.close();
    }
  }

  private static JsonObject clockSet(JsonArray timeline) {
    return timeline.stream().map(JsonObject.class::cast)
        .filter(e -> "clock-set".equals(e.getString("event")) && "sim".equals(e.getString("source"))).findFirst().orElse(null);
  }

  private static String messages(JsonArray entries) {
    return entries.stream().map(e -> ((JsonObject) e).getString("message")).collect(Collectors.joining("\n"));
  }

  private static void assertError(WebClient web, HupDevice d, String path, int status, String message) {
    HttpResponse<Buffer> r = send(web, d, "GET", path, null);
    assertEquals(status, r.statusCode(), path + ": " + r.bodyAsString());
    if (message != null) {
      assertEquals(message, r.bodyAsJsonObject().getString("error"), path);
    } else {
      assertFalse(r.bodyAsJsonObject().getString("error").isEmpty(), path);
    }
  }

  private static JsonArray array(WebClient web, HupDevice d, String path) {
    HttpResponse<Buffer> r = send(web, d, "GET", path, null);
    assertEquals(200, r.statusCode(), path + ": " + r.bodyAsString());
    return r.bodyAsJsonArray();
  }

  private static JsonObject object(WebClient web, HupDevice d, String path) {
    HttpResponse<Buffer> r = send(web, d, "GET", path, null);
    assertEquals(200, r.statusCode(), path + ": " + r.bodyAsString());
    return r.bodyAsJsonObject();
  }

  private static HttpResponse<Buffer> send(WebClient web, HupDevice d, String method, String path, String body) {
    var req = web.request(io.vertx.core.http.HttpMethod.valueOf(method), d.apiPort(), "127.0.0.1", path);
    return (body == null ? req.send() : req.putHeader("content-type", "application/json").sendBuffer(Buffer.buffer(body)))
        .await();
  }
}
