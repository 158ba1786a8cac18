package io.hostmesh.cli;

import io.hostmesh.testing.ScriptedUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hostmesh.api.HttpApi;
import io.hostmesh.schema.targets.Target;
import io.hostmesh.schema.targets.Targets;
import io.hostmesh.schema.unit.UnitState;
import io.hostmesh.testing.SimDevice;
import io.hostmesh.unit.RestartPolicy;
import io.hostmesh.unit.UnitDescriptor;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code hostmesh status [UNIT]}, {@code restart}, {@code reset-failed} and {@code logs} against a
 * real HttpApi on 127.0.0.1: a device whose chronyd runs, sshd is disabled, broken fails, and
 * late waits for HTTPS time sync.
 */
@ExtendWith(VertxExtension.class)
@Timeout(60)
class UnitCommandsTest {
  private SimDevice dev;
  private HttpApi api;
  private String port;

  @BeforeEach
  void boot(Vertx vertx) {
    RestartPolicy twoPerMinute = RestartPolicy.NO.withStartLimit(2, Duration.ofSeconds(60));
    dev = SimDevice.builder(vertx).virtualTime().external(Targets.TIME_SYNC_HTTPS_WAIT)
        .settings(j -> j.put("units", new JsonObject().put("sshd", new JsonObject().put("enabled", false))))
        .unit(() -> new ScriptedUnit(UnitDescriptor.named("chronyd").description("NTP client").service()
            .requires(Targets.TIME_SET).provides(Targets.TIME_SYNC).restart(twoPerMinute).build(), u -> {
              u.log().info("chronyd started");
              u.log().warn("No online NTP sources - forcing poll");
              return Future.succeededFuture();
            }))
        .unit(() -> new ScriptedUnit(UnitDescriptor.named("clock").provides(Targets.TIME_SET).build(), u -> {
          u.log().info("clock set");
          return Future.succeededFuture();
        }))
        .unit(() -> new ScriptedUnit(UnitDescriptor.named("sshd").service().build(), u -> Future.succeededFuture()))
        .unit(() -> new ScriptedUnit(UnitDescriptor.named("broken").build(), u -> Future.failedFuture("no such file: /etc/broken")))
        .unit(() -> new ScriptedUnit(UnitDescriptor.named("late").requires(Targets.TIME_SYNC_HTTPS_WAIT).build(),
            u -> Future.succeededFuture()))
        .build();
    dev.start().await();
    dev.awaitUnit("chronyd", UnitState.ACTIVE).await();
    dev.awaitUnit("broken", UnitState.FAILED).await();
    api = new HttpApi(dev.mesh(), "127.0.0.1", 0);
    vertx.deployVerticle(api).await();
    port = Integer.toString(api.port());
  }

  @AfterEach
  void close() {
    dev.close();
  }

  @Test
  void statusListsEveryUnitWithTheDisabledOnesAndExitsDegradedForAFailure() {
    Cli r = Cli.run("status", "--port", port);
    // the list's exit code is the mesh's health: a unit failed but not given up yet is degraded (5)
    assertEquals(StatusCommand.DEGRADED, r.code(), r.toString());
    assertTrue(r.out().matches("(?s).*\\n sshd +service +disabled +— units\\.sshd\\.enabled is false\\n.*"), r.out());
    assertTrue(r.out().contains("5 units listed, 1 failed, 1 disabled."), r.out());
    JsonArray json = new JsonArray(Cli.run("status", "--port", port, "--json").out());
    assertEquals(5, json.size());
    assertEquals("DISABLED", json.getJsonObject(2).getString("state"));
  }

  @Test
  void statusOfOneUnitLooksLikeSystemctlStatus() {
    Cli r = Cli.run("status", "chronyd", "--port", port);
    assertEquals(0, r.code(), r.toString());
    String out = r.out();
    assertTrue(out.startsWith("● chronyd - NTP client\n"), out);
    assertTrue(out.contains("     Loaded: enabled; service\n"), out);
    assertTrue(out.matches("(?s).*     Active: active \\(running\\) since \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d UTC; \\d+ms ago\\n.*"), out);
    assertTrue(out.contains("   Requires: time-set\n"), out);
    assertTrue(out.contains("   Provides: time-sync\n"), out);
    assertTrue(out.matches("(?s).*\\n\\S+Z chronyd\\[INFO]: chronyd started\\n\\S+Z chronyd\\[WARN]: No online NTP sources - forcing poll\\n$"), out);

    Cli broken = Cli.run("status", "broken", "--port", port);
    assertEquals(3, broken.code());
    assertTrue(broken.out().startsWith("× broken\n"), broken.out());
    assertTrue(broken.out().contains("     Active: failed (Result: exit-code) since"), broken.out());
    assertTrue(broken.out().contains("     Detail: no such file: /etc/broken"), broken.out());

    JsonObject json = new JsonObject(Cli.run("status", "chronyd", "--port", port, "--json", "-n", "1").out());
    assertEquals("ACTIVE", json.getJsonObject("unit").getString("state"));
    assertEquals(1, json.getJsonArray("logs").size());
    assertEquals("No online NTP sources - forcing poll", json.getJsonArray("logs").getJsonObject(0).getString("message"));

    Cli missing = Cli.run("status", "nope", "--port", port);
    assertEquals(4, missing.code());
    assertEquals("Unit nope could not be found.\n", missing.err());
  }

  @Test
  void restartAndResetFailedLikeSystemctl() {
    Cli r = Cli.run("restart", "chronyd", "--port", port);
    assertEquals(0, r.code(), r.toString());
    assertEquals("", r.out() + r.err(), "quiet when it worked");
    r = Cli.run("restart", "chronyd", "--port", port);
    assertEquals(1, r.code(), "a third start within the minute hits the start limit");
    assertTrue(r.err().startsWith("Job for chronyd failed because start of the unit was attempted too often (start-limit-hit: 2 starts within 60 s)."), r.err());
    assertTrue(r.err().contains("'hostmesh reset-failed chronyd' followed by 'hostmesh restart chronyd'"), r.err());
    assertEquals(0, Cli.run("reset-failed", "chronyd", "--port", port).code());
    assertEquals("inactive", dev.mesh().unit("chronyd").orElseThrow().state().label());
    assertEquals(0, Cli.run("restart", "chronyd", "--port", port).code());
    assertEquals(UnitState.ACTIVE, dev.mesh().unit("chronyd").orElseThrow().state());

    r = Cli.run("restart", "broken", "--port", port);
    assertEquals(1, r.code());
    assertTrue(r.err().startsWith("Job for broken failed (exit-code: no such file: /etc/broken)."), r.err());
    r = Cli.run("restart", "late", "--port", port, "--timeout", "0");
    assertEquals(1, r.code());
    assertEquals("Job for late timed out: still waiting after 0 s (waiting for time-sync-https-wait).\n", r.err());
    assertEquals(0, Cli.run("restart", "late", "--port", port, "--no-block").code());
    r = Cli.run("restart", "nope", "--port", port);
    assertEquals(5, r.code());
    assertEquals("Unit nope not found.\n", r.err());
    r = Cli.run("restart", "sshd", "--port", port);
    assertEquals(1, r.code());
    assertEquals("hostmesh restart: unit sshd is disabled (units.sshd.enabled is false in /etc/hostmesh/hostmesh.json)\n", r.err());
    assertEquals(2, Cli.run("restart", "chronyd", "--port", port, "--timeout", "-1").code());
    assertEquals(5, Cli.run("reset-failed", "nope", "--port", port).code());
    assertEquals(0, Cli.run("reset-failed", "--port", port).code(), "every unit");
    assertEquals("inactive", dev.mesh().unit("broken").orElseThrow().state().label());
  }

  @Test
  void logsLikeJournalctl() {
    Cli all = Cli.run("logs", "--port", port);
    assertEquals(0, all.code(), all.toString());
    assertEquals(3, all.out().lines().count(), all.out());
    Cli one = Cli.run("logs", "chronyd", "-n", "1", "--port", port);
    assertTrue(one.out().matches("\\S+Z chronyd\\[WARN]: No online NTP sources - forcing poll\\n"), one.out());
    Cli json = Cli.run("logs", "clock", "--json", "--port", port);
    assertEquals("clock set", new JsonObject(json.out().trim()).getString("message"));
    assertEquals("-- No entries --\n", Cli.run("logs", "late", "--port", port).out());
    String future = Instant.now().plus(Duration.ofDays(400)).toString();
    assertEquals("-- No entries --\n", Cli.run("logs", "--since", future, "--port", port).out());

    Cli bad = Cli.run("logs", "--since", "yesterday", "--port", port);
    assertEquals(2, bad.code());
    assertTrue(bad.err().startsWith("hostmesh logs: since must be an ISO-8601 instant"), bad.err());
    Cli unknown = Cli.run("logs", "nope", "--port", port);
    assertEquals(1, unknown.code());
    assertEquals("hostmesh logs: no unit named nope\n", unknown.err());
    assertEquals(2, Cli.run("logs", "-n", "0", "--port", port).code());
  }

  @Test
  void logsFollowPrintsNewLinesUntilTheDeviceGoes(Vertx vertx) throws Exception {
    java.util.concurrent.CompletableFuture<Cli> follow = java.util.concurrent.CompletableFuture.supplyAsync(
        () -> Cli.run("logs", "chronyd", "-f", "--port", port));
    // the backlog (last 10 lines) is there once the follower is registered
    io.hostmesh.platform.Poll.until(vertx, Duration.ofSeconds(20), Duration.ofMillis(10), "follower registered",
        () -> dev.mesh().journal().followers() == 1).await();
    assertEquals(0, Cli.run("restart", "chronyd", "--port", port).code());
    io.hostmesh.platform.Poll.until(vertx, Duration.ofSeconds(20), Duration.ofMillis(10), "a second 'chronyd started' delivered",
        () -> dev.mesh().journal().query(io.hostmesh.mesh.Journal.Query.ALL.unit("chronyd")).size() == 4).await();
    assertTrue(!follow.isDone(), "still following");
    vertx.undeploy(api.deploymentID()).await();
    Cli r = follow.get(20, java.util.concurrent.TimeUnit.SECONDS);
    assertEquals(0, r.code(), r.toString());
    assertEquals(4, r.out().lines().count(), r.out());
    assertTrue(r.out().lines().skip(2).findFirst().orElseThrow().endsWith("chronyd[INFO]: chronyd started"), r.out());
  }

  @Test
  void noApiAndBadRootAreClearErrors(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
    Cli r = Cli.run("status", "--port", "1");
    assertEquals(1, r.code());
    assertTrue(r.err().startsWith("hostmesh status: no hostmesh API at http://127.0.0.1:1"), r.err());
    r = Cli.run("logs", "--root", dir.resolve("nope").toString());
    assertEquals(2, r.code());
    assertEquals("hostmesh logs: no device root at " + dir.resolve("nope") + "\n", r.err());
    java.nio.file.Files.createDirectories(dir.resolve("etc/hostmesh"));
    java.nio.file.Files.writeString(dir.resolve("etc/hostmesh/hostmesh.json"), "{\"api\": {\"port\": 0}}");
    r = Cli.run("restart", "chronyd", "--root", dir.toString());
    assertEquals(1, r.code(), "not running: as no API");
    assertTrue(r.err().contains("is not running (it picks a free API port, api.port 0, and there is no "), r.err());
    java.nio.file.Files.writeString(dir.resolve("etc/hostmesh/hostmesh.json"), "{\"api\": ");
    r = Cli.run("status", "--root", dir.toString());
    assertEquals(2, r.code());
    assertTrue(r.err().startsWith("hostmesh status: cannot read the API address from "), r.err());
    java.nio.file.Files.writeString(dir.resolve("etc/hostmesh/hostmesh.json"), "{\"api\": {\"host\": \"0.0.0.0\", \"port\": " + port + "}}");
    assertEquals(StatusCommand.DEGRADED, Cli.run("status", "--root", dir.toString()).code(), "found through the root's settings, on loopback");
  }

  @Test
  void theBootIsFinishedOnceLateHasItsTarget() {
    Cli r = Cli.run("analyze", "--port", port);
    assertEquals(1, r.code(), r.toString());
    assertTrue(r.out().startsWith("Bootup is not yet finished after "), r.out());
    assertTrue(r.out().contains("(1 unit not settled: late (waiting: waiting for time-sync-https-wait))"), r.out());
    dev.bus().publish(Targets.TIME_SYNC_HTTPS_WAIT, new Target("time-sync-https-wait", Instant.now(), 0));
    dev.mesh().whenSettled().await();
    r = Cli.run("analyze", "--port", port);
    assertEquals(0, r.code(), r.toString());
    assertTrue(r.out().matches("Startup finished in \\d+ms \\(mesh\\)\\ntime-set\\.target reached after \\d+ms in the mesh\\.\\n"
        + "time-sync\\.target reached after \\d+ms in the mesh\\.\\n"
        + "time-sync-https-wait\\.target reached after \\d+ms in the mesh\\.\\n"), r.out());
    JsonObject json = new JsonObject(Cli.run("analyze", "--json", "--port", port).out());
    assertTrue(json.getLong("finishedMillis") >= 0, json.encode());
    assertEquals(dev.mesh().bootId(), json.getString("bootId"));
  }
}
