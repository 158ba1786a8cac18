package io.hostmesh.api;

import io.hostmesh.testing.ScriptedUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hostmesh.schema.targets.Target;
import io.hostmesh.schema.targets.Targets;
import io.hostmesh.testing.SimDevice;
import io.hostmesh.unit.RestartPolicy;
import io.hostmesh.unit.UnitDescriptor;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import io.vertx.core.buffer.Buffer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** Restart, reset-failed, boot, stop and disabled units over a real HttpApi on 127.0.0.1. */
@ExtendWith(VertxExtension.class)
@Timeout(30)
class UnitRoutesTest {
  @Test
  void restartAndResetFailedOverHttp(Vertx vertx) {
    AtomicInteger starts = new AtomicInteger();
    RestartPolicy twoPerMinute = RestartPolicy.NO.withStartLimit(2, Duration.ofSeconds(60));
    try (SimDevice dev = SimDevice.builder(vertx).virtualTime().external(Targets.TIME_SYNC_HTTPS_WAIT)
        .settings(j -> j.put("units", new JsonObject().put("sshd", new JsonObject().put("enabled", false))))
        .unit(() -> new ScriptedUnit(UnitDescriptor.named("chronyd").service().restart(twoPerMinute).build(), u -> {
          starts.incrementAndGet();
          return io.vertx.core.Future.succeededFuture();
        }))
        .unit(() -> ScriptedUnit.ok(UnitDescriptor.named("sshd").service().build()))
        .unit(() -> ScriptedUnit.ok(UnitDescriptor.named("late").service().requires(Targets.TIME_SYNC_HTTPS_WAIT).build()))
        .build()) {
      dev.start().await();
      dev.awaitUnit("chronyd", io.hostmesh.schema.unit.UnitState.ACTIVE).await();
      HttpApi api = new HttpApi(dev.mesh(), "127.0.0.1", 0);
      vertx.deployVerticle(api).await();
      WebClient web = WebClient.create(vertx);
      String base = "http://127.0.0.1:" + api.port();

      HttpResponse<Buffer> r = post(web, base + "/v1/units/chronyd/restart");
      assertEquals(200, r.statusCode(), r.bodyAsString());
      assertEquals("ACTIVE", r.bodyAsJsonObject().getString("state"));
      assertEquals(2, starts.get());
      r = post(web, base + "/v1/units/chronyd/restart");
      assertEquals(200, r.statusCode());
      assertEquals("FAILED", r.bodyAsJsonObject().getString("state"));
      assertEquals("START_LIMIT_HIT", r.bodyAsJsonObject().getString("result"));
      r = post(web, base + "/v1/units/chronyd/reset-failed");
      assertEquals(200, r.statusCode());
      assertEquals("INACTIVE", r.bodyAsJsonObject().getString("state"));
      assertEquals("ACTIVE", post(web, base + "/v1/units/chronyd/restart").bodyAsJsonObject().getString("state"));

      r = post(web, base + "/v1/units/late/restart?timeout=0");
      assertEquals(202, r.statusCode(), "not settled: answered at once with the state so far");
      assertEquals("WAITING", r.bodyAsJsonObject().getString("state"));

      assertEquals(404, post(web, base + "/v1/units/nope/restart?timeout=0").statusCode());
      assertEquals(404, post(web, base + "/v1/units/nope/reset-failed").statusCode());
      r = post(web, base + "/v1/units/sshd/restart");
      assertEquals(409, r.statusCode());
      assertEquals("unit sshd is disabled (units.sshd.enabled is false in /etc/hostmesh/hostmesh.json)",
          r.bodyAsJsonObject().getString("error"));
      for (String bad : List.of("-1", "x", "3601")) {
        r = post(web, base + "/v1/units/chronyd/restart?timeout=" + bad);
        assertEquals(400, r.statusCode(), bad);
        assertTrue(r.bodyAsJsonObject().getString("error").startsWith("timeout must be"), r.bodyAsString());
      }
    }
  }

  @Test
  void disabledUnitsAreListedInUnitsAndMetricsAndTheBootSummaryNamesWhatIsUnsettled(Vertx vertx) {
    try (SimDevice dev = SimDevice.builder(vertx).external(Targets.TIME_SYNC_HTTPS_WAIT)
        .settings(j -> j.put("units", new JsonObject().put("chronyd", new JsonObject().put("enabled", false))))
        .unit(() -> ScriptedUnit.ok(UnitDescriptor.named("chronyd").service().requires(Targets.TIME_SYNC_HTTPS_WAIT).build()))
        .unit(() -> ScriptedUnit.ok(UnitDescriptor.named("clock").provides(Targets.TIME_SET).build()))
        .unit(() -> ScriptedUnit.ok(UnitDescriptor.named("late").requires(Targets.TIME_SYNC_HTTPS_WAIT).build()))
        .build()) {
      dev.start().await();
      dev.awaitUnit("clock", io.hostmesh.schema.unit.UnitState.EXITED).await();
      HttpApi api = new HttpApi(dev.mesh(), "127.0.0.1", 0);
      vertx.deployVerticle(api).await();
      WebClient web = WebClient.create(vertx);
      String base = "http://127.0.0.1:" + api.port();

      JsonObject chronyd = web.getAbs(base + "/v1/units/chronyd").send().await().bodyAsJsonObject();
      assertEquals("DISABLED", chronyd.getString("state"));
      assertEquals(3, web.getAbs(base + "/v1/units").send().await().bodyAsJsonArray().size());
      String metrics = web.getAbs(base + "/metrics").send().await().bodyAsString();
      assertTrue(metrics.contains("hostmesh_unit_state{state=\"disabled\",unit=\"chronyd\"} 1.0"), metrics);

      JsonObject boot = web.getAbs(base + "/v1/boot").send().await().bodyAsJsonObject();
      assertEquals(dev.mesh().bootId(), boot.getString("bootId"));
      assertEquals(-1, boot.getLong("finishedMillis"));
      assertEquals(List.of("late"), boot.getJsonArray("unsettled").getList());
      assertTrue(boot.getJsonObject("targets").containsKey("time-set"), boot.encode());

      dev.bus().publish(Targets.TIME_SYNC_HTTPS_WAIT, new Target("time-sync-https-wait", Instant.now(), 10));
      dev.mesh().whenSettled().await();
      boot = web.getAbs(base + "/v1/boot").send().await().bodyAsJsonObject();
      assertTrue(boot.getLong("finishedMillis") >= 0, boot.encode());
      assertTrue(boot.getJsonArray("unsettled").isEmpty());
    }
  }

  @Test
  void stopIsAcceptedFromLoopbackAndRunsTheRunnersStopOnce(Vertx vertx) {
    try (SimDevice dev = SimDevice.builder(vertx).unit(() -> ScriptedUnit.ok(UnitDescriptor.named("one").build())).build()) {
      dev.start().await();
      WebClient web = WebClient.create(vertx);
      HttpApi bare = new HttpApi(dev.mesh(), "127.0.0.1", 0);
      vertx.deployVerticle(bare).await();
      HttpResponse<Buffer> r = post(web, "http://127.0.0.1:" + bare.port() + "/v1/stop");
      assertEquals(501, r.statusCode(), "nobody said what stopping means");

      Promise<Void> stopped = Promise.promise();
      HttpApi api = new HttpApi(dev.mesh(), "127.0.0.1", 0).stopAction(stopped::complete);
      vertx.deployVerticle(api).await();
      r = post(web, "http://127.0.0.1:" + api.port() + "/v1/stop");
      assertEquals(202, r.statusCode());
      assertTrue(r.bodyAsJsonObject().getBoolean("stopping"));
      stopped.future().await();
      assertFalse(HttpApi.isLoopback("10.0.0.1"));
      assertFalse(HttpApi.isLoopback("192.168.1.20"));
      assertTrue(HttpApi.isLoopback("127.0.0.2") && HttpApi.isLoopback("::1"));
    }
  }

  private static HttpResponse<Buffer> post(WebClient web, String url) {
    return web.postAbs(url).send().await();
  }
}
