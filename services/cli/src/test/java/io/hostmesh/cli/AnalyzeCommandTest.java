package io.hostmesh.cli;

import io.hostmesh.testing.ScriptedUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hostmesh.api.HttpApi;
import io.hostmesh.schema.targets.Targets;
import io.hostmesh.schema.unit.UnitState;
import io.hostmesh.testing.SimDevice;
import io.hostmesh.unit.UnitDescriptor;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/** {@code hostmesh analyze blame|critical-chain|plot} on a boot still under way (virtual time stands at 2 s). */
@ExtendWith(VertxExtension.class)
@Timeout(60)
class AnalyzeCommandTest {
  @Test
  void anUnfinishedBootIsAnalysedUpToNow(Vertx vertx) throws Exception {
    try (SimDevice dev = SimDevice.builder(vertx).virtualTime().external(Targets.TIME_SYNC_HTTPS_WAIT)
        .settings(j -> j.put("units", new JsonObject().put("off", new JsonObject().put("enabled", false))))
        .unit(() -> new ScriptedUnit(UnitDescriptor.named("clock").provides(Targets.TIME_SET).build(), u -> Future.succeededFuture()))
        .unit(() -> new ScriptedUnit(UnitDescriptor.named("slow").requires(Targets.TIME_SET).build(),
            u -> u.scheduler().sleep(Duration.ofSeconds(10))))
        .unit(() -> new ScriptedUnit(UnitDescriptor.named("late").requires(Targets.TIME_SYNC_HTTPS_WAIT).build(),
            u -> Future.succeededFuture()))
        .unit(() -> new ScriptedUnit(UnitDescriptor.named("off").build(), u -> Future.succeededFuture()))
        .unit(() -> new ScriptedUnit(UnitDescriptor.named("broken").build(), u -> Future.failedFuture("boom")))
        .build()) {
      dev.start().await();
      dev.awaitUnit("slow", UnitState.ACTIVATING).await();
      dev.time().awaitPending(1).await();
      dev.time().advanceBy(Duration.ofSeconds(2)).await();
      HttpApi api = new HttpApi(dev.mesh(), "127.0.0.1", 0);
      vertx.deployVerticle(api).await();
      String port = Integer.toString(api.port());

      Cli blame = Cli.run("analyze", "blame", "--port", port);
      assertEquals(0, blame.code(), blame.toString());
      assertTrue(blame.out().contains("Not settled yet:\n >2.000s slow (activating)\n"
          + "       - late (waiting: waiting for time-sync-https-wait)\n"), blame.out());
      JsonArray rows = new JsonArray(Cli.run("analyze", "blame", "--json", "--port", port).out());
      JsonObject slow = rows.stream().map(JsonObject.class::cast).filter(r -> r.getString("unit").equals("slow")).findFirst().orElseThrow();
      assertEquals(2000, slow.getLong("millis"));
      assertEquals(false, slow.getBoolean("settled"));

      JsonArray chain = new JsonArray(Cli.run("analyze", "critical-chain", "slow", "--json", "--port", port).out());
      assertEquals("slow", chain.getJsonObject(0).getString("unit"));
      assertEquals("clock", chain.getJsonObject(1).getString("unit"));
      Cli missing = Cli.run("analyze", "critical-chain", "nope", "--port", port);
      assertEquals(66, missing.code());
      assertEquals("hostmesh analyze critical-chain: no unit named nope (hostmesh status lists them)\n", missing.err());

      Cli plot = Cli.run("analyze", "--port", port, "plot");
      assertEquals(0, plot.code(), plot.toString());
      var doc = DocumentBuilderFactory.newInstance().newDocumentBuilder()
          .parse(new ByteArrayInputStream(plot.out().getBytes(StandardCharsets.UTF_8)));
      assertTrue(plot.out().contains("hostmesh boot timeline (2.000s, not finished)"), plot.out());
      Set<String> legend = new HashSet<>();
      Set<String> marks = new HashSet<>();
      double rightEdge = 0;
      NodeList rects = doc.getElementsByTagName("rect");
      for (int i = 0; i < rects.getLength(); i++) {
        Element r = (Element) rects.item(i);
        if (r.getAttribute("class").equals("legend")) {
          legend.add(r.getAttribute("fill"));
        } else if (r.getAttribute("class").equals("mark")) {
          marks.add(r.getAttribute("fill"));
          rightEdge = Math.max(rightEdge, Double.parseDouble(r.getAttribute("x")) + Double.parseDouble(r.getAttribute("width")));
        }
      }
      assertTrue(legend.containsAll(marks), "every mark drawn is in the legend: " + marks + " vs " + legend);
      for (BootPlot.Mark m : BootPlot.Mark.values()) {
        assertTrue(legend.contains(m.color) && plot.out().contains(">" + m.label + "</text>"), m.name());
      }
      assertTrue(marks.contains(BootPlot.Mark.WAITING.color) && marks.contains(BootPlot.Mark.NOT_SETTLED.color)
          && marks.contains(BootPlot.Mark.FAILED.color), marks.toString());
      assertTrue(rightEdge >= 880, "waiting and activating bars run up to now, the right edge: " + rightEdge);
      assertTrue(plot.out().contains(">off (disabled)</text>"), plot.out());
    }
  }
}
