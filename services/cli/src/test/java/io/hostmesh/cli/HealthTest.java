package io.hostmesh.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hostmesh.api.HttpApi;
import io.hostmesh.schema.unit.UnitState;
import io.hostmesh.testing.SimDevice;
import io.hostmesh.unit.RestartPolicy;
import io.hostmesh.unit.UnitDescriptor;
import io.hostmesh.unit.UnitVerticle;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import picocli.CommandLine;

/**
 * {@code /health} and {@code hostmesh status}'s exit code on virtual time: a unit that its own
 * policy restarts degrades the mesh, only a unit that gave up (start limit, or failed past the
 * grace) fails it.
 */
@ExtendWith(VertxExtension.class)
@Timeout(60)
class HealthTest {
  /** A unit that fails every start, with the given restart policy. */
  static final class Broken extends UnitVerticle {
    private final UnitDescriptor descriptor;

    Broken(String name, RestartPolicy policy) {
      descriptor = UnitDescriptor.named(name).service().description("fails on purpose").restart(policy).build();
    }

    @Override
    public UnitDescriptor descriptor() {
      return descriptor;
    }

    @Override
    public Future<?> start() {
      return Future.failedFuture("broken on purpose");
    }
  }

  private static HttpResponse<io.vertx.core.buffer.Buffer> health(WebClient web, HttpApi api) {
    return web.getAbs("http://127.0.0.1:" + api.port() + "/health").send().await();
  }

  private static int status(HttpApi api) {
    return new CommandLine(new StatusCommand()).execute("--port", Integer.toString(api.port()));
  }

  @Test
  void aUnitRestartedByItsPolicyDegradesOnlyAUnitThatGaveUpFails(Vertx vertx) {
    try (SimDevice dev = SimDevice.builder(vertx).virtualTime()
        .unit(() -> new Broken("flaky", RestartPolicy.onFailure(Duration.ofSeconds(10))))
        .unit(() -> new Broken("once", RestartPolicy.NO))
        .settings(s -> s.put("health", new JsonObject().put("failedGraceMs", 30_000))).build()) {
      dev.start().await();
      dev.awaitUnit("flaky", UnitState.FAILED).await();
      dev.awaitUnit("once", UnitState.FAILED).await();
      HttpApi api = new HttpApi(dev.mesh(), "127.0.0.1", 0);
      vertx.deployVerticle(api).await();
      WebClient web = WebClient.create(vertx);

      var degraded = health(web, api);
      assertEquals(200, degraded.statusCode());
      JsonObject body = degraded.bodyAsJsonObject();
      assertEquals("DEGRADED", body.getString("status"));
      assertEquals(new JsonArray(), body.getJsonArray("failed"));
      assertEquals(new JsonArray().add("flaky failed, restart pending: broken on purpose")
          .add("once failed, restart pending: broken on purpose"), body.getJsonArray("reasons"));
      assertEquals(StatusCommand.DEGRADED, status(api));

      // flaky keeps being restarted within the grace; once (Restart=no) stays failed past it
      for (int i = 0; i < 4; i++) {
        dev.time().advanceBy(Duration.ofSeconds(10)).await();
      }
      var failed = health(web, api);
      assertEquals(503, failed.statusCode());
      assertEquals("FAILED", failed.bodyAsJsonObject().getString("status"));
      assertEquals(new JsonArray().add("once"), failed.bodyAsJsonObject().getJsonArray("failed"));
      assertTrue(failed.bodyAsJsonObject().getJsonArray("reasons").contains("once failed longer than 30000 ms: broken on purpose"),
          failed.bodyAsString());
      assertEquals(StatusCommand.FAILED, status(api));
      web.close();
      dev.stop().await();
    }
  }

  @Test
  void hittingTheStartLimitFailsAtOnceAndAHealthyMeshIsUp(Vertx vertx) {
    try (SimDevice dev = SimDevice.builder(vertx).virtualTime()
        .unit(() -> new Broken("limited", RestartPolicy.onFailure(Duration.ofSeconds(1)).withStartLimit(2, Duration.ofSeconds(60))))
        .build()) {
      dev.start().await();
      HttpApi api = new HttpApi(dev.mesh(), "127.0.0.1", 0);
      vertx.deployVerticle(api).await();
      WebClient web = WebClient.create(vertx);
      java.util.List<String> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
      dev.bus().subscribe(io.hostmesh.schema.unit.UnitTopics.state("limited"), c -> {
        if (c.state() == UnitState.FAILED) {
          failures.add(c.detail());
        }
      }).completion().await();
      // each restart is due 1 s after the failure before it: one step of virtual time per start
      for (int start = 2; start <= 3; start++) {
        int seen = start;
        dev.time().advanceBy(Duration.ofSeconds(1)).await();
        io.hostmesh.platform.Poll.until(vertx, Duration.ofSeconds(10), Duration.ofMillis(5), "failure " + seen,
            () -> failures.size() >= seen).await();
      }
      assertTrue(failures.get(2).startsWith("start-limit-hit"), failures.toString());
      var r = health(web, api);
      assertEquals(503, r.statusCode(), r.bodyAsString());
      assertEquals(new JsonArray().add("limited"), r.bodyAsJsonObject().getJsonArray("failed"));
      web.close();
      dev.stop().await();
    }
    try (SimDevice dev = SimDevice.builder(vertx).build()) {
      dev.start().await();
      HttpApi api = new HttpApi(dev.mesh(), "127.0.0.1", 0);
      vertx.deployVerticle(api).await();
      WebClient web = WebClient.create(vertx);
      var up = health(web, api).bodyAsJsonObject();
      assertEquals("UP", up.getString("status"), "no config watcher in this mesh: config does not count");
      assertEquals(new JsonArray(), up.getJsonArray("reasons"));
      assertEquals(0, status(api));
      web.close();
      dev.stop().await();
    }
    assertEquals(1, new CommandLine(new StatusCommand()).execute("--port", "1"), "no API: 1");
  }
}
