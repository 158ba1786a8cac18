package io.hostmesh.cli;

import io.hostmesh.api.HttpApi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hostmesh.cli.BootAnalysis;
import io.hostmesh.cli.BootPlot;
import io.hostmesh.mesh.UnitStatus;
import io.hostmesh.testing.SimDevice;
import io.hostmesh.unit.support.BuildTime;
import io.hostmesh.units.time.BuildTimeInit;
import io.hostmesh.units.time.FakeHwclock;
import io.hostmesh.units.time.FakeHwclockUpdate;
import io.hostmesh.unit.support.TimeFormats;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
@Timeout(30)
class HttpApiTest {
  @Test
  void unitsTimelineTimeHealthAndMetricsOverHttp(Vertx vertx) throws Exception {
    Instant build = Instant.now().plus(10, ChronoUnit.DAYS);
    try (SimDevice dev = SimDevice.builder(vertx).unit(BuildTimeInit::new).unit(FakeHwclock::new).unit(FakeHwclockUpdate::new)
        .external(io.hostmesh.schema.targets.Targets.TIME_SYNC_HTTPS_WAIT)
        .file(BuildTime.FILE, TimeFormats.stamp(build) + "\n").build()) {
      dev.start().await();
      dev.awaitUnit("fake-hwclock", io.hostmesh.schema.unit.UnitState.EXITED).await();
      HttpApi api = new HttpApi(dev.mesh(), "127.0.0.1", 0);
      vertx.deployVerticle(api).await();
      WebClient web = WebClient.create(vertx);
      String base = "http://127.0.0.1:" + api.port();

      JsonArray units = web.getAbs(base + "/v1/units").send().await().bodyAsJsonArray();
      assertEquals(3, units.size());
      JsonObject hourly = web.getAbs(base + "/v1/units/fake-hwclock-update").send().await().bodyAsJsonObject();
      assertEquals("WAITING", hourly.getString("state"));
      assertEquals("waiting for time-sync-https-wait", hourly.getString("detail"));
      assertEquals(404, web.getAbs(base + "/v1/units/nope").send().await().statusCode());

      JsonObject time = web.getAbs(base + "/v1/time").send().await().bodyAsJsonObject();
      assertEquals("build-time", time.getJsonObject("lastSet").getString("source"));
      assertTrue(time.containsKey("target.time-set"), time.encode());

      assertTrue(web.getAbs(base + "/v1/timeline").send().await().bodyAsJsonArray().size() >= 5);
      var health = web.getAbs(base + "/health").send().await();
      assertEquals(200, health.statusCode());
      assertEquals("UP", health.bodyAsJsonObject().getString("status"));

      String metrics = web.getAbs(base + "/metrics").send().await().bodyAsString();
      assertTrue(metrics.contains("hostmesh_unit_state{state=\"exited\",unit=\"fake-hwclock\"} 1.0"), metrics);
      assertTrue(metrics.contains("hostmesh_time_sets_total{source=\"build-time\"} 1.0"), metrics);
      assertTrue(metrics.contains("hostmesh_bus_messages_total{address=\"unit.state-changes\"}"), metrics);
    }
  }

  @Test
  void analysisAndPlotFromTheMesh(Vertx vertx) throws Exception {
    try (SimDevice dev = SimDevice.builder(vertx).unit(BuildTimeInit::new).unit(FakeHwclock::new)
        .file(BuildTime.FILE, TimeFormats.stamp(Instant.now()) + "\n").build()) {
      dev.start().await();
      dev.mesh().whenSettled().await();
      var units = dev.mesh().units();
      String chain = BootAnalysis.criticalChain(units, "fake-hwclock");
      assertTrue(chain.contains("fake-hwclock @") && chain.contains("└─timeinit-buildtime @"), chain + units);
      assertTrue(BootAnalysis.blame(units).contains("timeinit-buildtime"));
      String svg = BootPlot.svg(units, dev.mesh().timeline());
      var doc = DocumentBuilderFactory.newInstance().newDocumentBuilder()
          .parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
      assertEquals("svg", doc.getDocumentElement().getNodeName(), "well-formed SVG");
      assertTrue(svg.contains("fake-hwclock (exited)"));
      assertTrue(units.stream().map(UnitStatus::name).toList().contains("timeinit-buildtime"));
    }
  }
}
