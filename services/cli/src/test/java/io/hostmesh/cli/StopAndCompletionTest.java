package io.hostmesh.cli;

import io.hostmesh.testing.ScriptedUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hostmesh.api.HttpApi;
import io.hostmesh.testing.SimDevice;
import io.hostmesh.unit.UnitDescriptor;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
@Timeout(60)
class StopAndCompletionTest {
  @Test
  void stopByPortRunsTheRunnersStopAndWaitsUntilTheApiIsGone(Vertx vertx) {
    AtomicInteger asked = new AtomicInteger();
    try (SimDevice dev = SimDevice.builder(vertx).unit(() -> new ScriptedUnit(UnitDescriptor.named("one").build(),
        u -> Future.succeededFuture())).build()) {
      dev.start().await();
      HttpApi api = new HttpApi(dev.mesh(), "127.0.0.1", 0);
      // what a runner does: stop the mesh, then everything goes (here: the API)
      api.stopAction(() -> {
        asked.incrementAndGet();
        dev.stop().compose(v -> vertx.undeploy(api.deploymentID()));
      });
      vertx.deployVerticle(api).await();
      String port = Integer.toString(api.port());
      Cli r = Cli.run("stop", "--port", port);
      assertEquals(0, r.code(), r.toString());
      assertTrue(r.out().startsWith("stopped the device at http://127.0.0.1:" + port + " (boot " + dev.mesh().bootId() + ")"), r.out());
      assertEquals(1, asked.get());
      assertEquals("inactive", dev.mesh().unit("one").orElseThrow().state().label(), "stopped before the command returned");
      Cli again = Cli.run("stop", "--port", port);
      assertEquals(1, again.code());
      assertTrue(again.err().startsWith("hostmesh stop: no hostmesh API at http://127.0.0.1:" + port), again.err());
      assertEquals(2, Cli.run("stop", "--port", port, "--timeout", "0").code());
    }
  }

  @Test
  void aDeviceThatCannotBeStoppedFromHereSaysSo(Vertx vertx) {
    try (SimDevice dev = SimDevice.builder(vertx).build()) {
      dev.start().await();
      HttpApi api = new HttpApi(dev.mesh(), "127.0.0.1", 0);
      vertx.deployVerticle(api).await();
      Cli r = Cli.run("stop", "--port", Integer.toString(api.port()));
      assertEquals(1, r.code());
      assertTrue(r.err().startsWith("hostmesh stop: this mesh was not started by 'hostmesh run'"), r.err());
    }
  }

  @Test
  void generateCompletionPrintsABashScriptNamingTheSubcommands() {
    Cli r = Cli.run("generate-completion");
    assertEquals(0, r.code(), r.toString());
    assertTrue(r.out().startsWith("#!/usr/bin/env bash"), r.out().substring(0, 80));
    assertTrue(r.out().contains("complete -F _complete_hostmesh"), "registers itself for the hostmesh command");
    for (String sub : new String[] {"demo", "run", "sim", "status", "analyze", "config", "logs", "restart", "reset-failed", "stop"}) {
      assertTrue(r.out().matches("(?s).*\\bcommands=\"[^\"]*\\b" + sub + "\\b.*"), sub);
    }
    assertTrue(r.out().contains("critical-chain"), "subcommands of subcommands too");
  }
}
