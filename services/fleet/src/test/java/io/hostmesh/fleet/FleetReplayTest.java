package io.hostmesh.fleet;

import static io.hostmesh.fleet.FleetCommandTest.hostmesh;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hostmesh.platform.Poll;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code hostmesh fleet replay}: one device of a fleet booted as a normal sim device (real root, the
 * sim lifecycle, the demo's local HTTPS endpoint and NTP server), looked at with the usual tools.
 */
class FleetReplayTest {
  static final Path OUTAGE = Path.of("scenarios/time-endpoint-outage.json");

  private final Vertx vertx = Vertx.vertx();
  private final HttpClient http = HttpClient.newHttpClient();

  @AfterEach
  void close() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  static Scenario outage(int devices) throws Exception {
    return Scenario.parse(Files.readString(OUTAGE)).with(devices, null);
  }

  /** The first device of the fleet in a mix. */
  static int firstOf(Scenario s, String mix) {
    return IntStream.range(0, s.devices()).filter(i -> DeviceDraw.of(s, s.seed(), i).mixName().equals(mix)).findFirst()
        .orElseThrow(() -> new AssertionError("no device of mix " + mix + " among " + s.devices()));
  }

  void await(String what, java.util.function.BooleanSupplier condition) throws Exception {
    Poll.until(vertx, Duration.ofSeconds(90), Duration.ofMillis(50), what, condition)
        .toCompletionStage().toCompletableFuture().get(120, TimeUnit.SECONDS);
  }

  @Test
  @Timeout(value = 300, unit = TimeUnit.SECONDS)
  void aReplayedDeviceWithARefusedNtpServersLogsTheRefusalTheFleetTraced(@TempDir Path tmp) throws Exception {
    Scenario s = outage(40);
    int id = firstOf(s, "bad-ntp-servers");
    FleetCommandTest.Ran fleet = hostmesh("fleet", "run", OUTAGE.toString(), "--devices", "40", "--trace", Integer.toString(id),
        "--partitions", "2", "--report", tmp.resolve("report").toString());
    assertEquals(0, fleet.code(), fleet.err());
    String refusal = Files.readAllLines(tmp.resolve("report/trace-" + id + ".txt")).stream()
        .filter(l -> l.contains("[config-watcher][ERROR] Refusing /ntpServers")).findFirst()
        .map(l -> l.substring(l.indexOf("Refusing"))).orElseThrow(() -> new AssertionError("the fleet traced no refusal"));

    Path root = tmp.resolve("device");
    CompletableFuture<FleetCommandTest.Ran> replay = CompletableFuture.supplyAsync(() -> hostmesh("fleet", "replay",
        OUTAGE.toString(), "--devices", "40", "--device", Integer.toString(id), "--root", root.toString()));
    Path portFile = root.resolve("run/hostmesh/api.port");
    await("the replayed device's API", () -> replay.isDone() || Files.exists(portFile));
    assertTrue(Files.exists(portFile), () -> "the replay ended: " + replay.join().out() + replay.join().err());
    int port = Integer.parseInt(Files.readString(portFile).strip());

    // its journal, as GET /v1/logs serves it, until config-watcher has judged config.json
    String[] journal = {""};
    CompletableFuture<?>[] inFlight = {null};
    await("the refusal in the replayed device's journal", () -> {
      if (inFlight[0] == null || inFlight[0].isDone()) {
        inFlight[0] = http.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/logs?unit="
            + URLEncoder.encode("config-watcher", StandardCharsets.UTF_8))).build(), HttpResponse.BodyHandlers.ofString())
            .thenAccept(r -> journal[0] = r.body());
      }
      return journal[0].contains(refusal.replace("\"", "\\\""));
    });
    // the usual tools on the replayed device
    FleetCommandTest.Ran logs = hostmesh("logs", "config-watcher", "--root", root.toString());
    assertEquals(0, logs.code(), logs.err());
    assertTrue(logs.out().contains(refusal), "hostmesh logs shows the fleet's refusal:\n" + refusal + "\n" + logs.out());
    FleetCommandTest.Ran status = hostmesh("status", "--root", root.toString());
    assertEquals(5, status.code(), "degraded while a config.json key is refused: " + status.out());
    FleetCommandTest.Ran analyze = hostmesh("analyze", "blame", "--root", root.toString());
    assertEquals(0, analyze.code(), analyze.out() + analyze.err());

    // the same device as the fleet drew it: its uuid, and no RTC in this mix
    JsonObject config = new JsonObject(Files.readString(root.resolve("mnt/boot/config.json")));
    assertEquals(DeviceDraw.of(s, s.seed(), id).config().getString("uuid"), config.getString("uuid"));
    assertEquals("pool.ntp.org;reboot", config.getString("ntpServers"));
    assertTrue(Files.notExists(root.resolve("dev/rtc")), "the bad-ntp-servers mix has no RTC");
    FleetCommandTest.Ran stop = hostmesh("stop", "--root", root.toString());
    assertEquals(0, stop.code(), stop.err());
    FleetCommandTest.Ran ended = replay.get(120, TimeUnit.SECONDS);
    assertEquals(0, ended.code(), ended.err());
    assertTrue(ended.out().contains("mix bad-ntp-servers"), ended.out());
    assertTrue(ended.out().contains("config.json gets {\"hostname\":\"rolled-out\"} merged in")
        || !DeviceDraw.of(s, s.seed(), id).picked(s.seed(), 0, 0.5), "the rollout that picks it is listed: " + ended.out());
    // nothing left running: the device's chronyd and the local NTP server went with it
    await("no process left", () -> ProcessHandle.current().descendants().noneMatch(ProcessHandle::isAlive));
  }

  @Test
  @Timeout(value = 120, unit = TimeUnit.SECONDS)
  void aDeviceWithAnRtcGetsItsRtcClockAndBuildTimeAsTheyStoodAgainstTrueTime(@TempDir Path tmp) throws Exception {
    Scenario s = outage(40);
    int id = firstOf(s, "with-rtc");
    var d = FleetReplay.device(s, id);
    assertTrue(d.rtc());
    assertEquals(20.0, d.rtcDriftPpm(), "the mix's drift");
    Path root = tmp.resolve("device");
    long before = System.currentTimeMillis();
    FleetCommandTest.Ran r = hostmesh("fleet", "replay", OUTAGE.toString(), "--devices", "40", "--device", Integer.toString(id),
        "--root", root.toString(), "--exit-when-ready", "--timeout", "90");
    long after = System.currentTimeMillis();
    assertTrue(r.code() == 0 || r.code() == 1, r.out() + r.err());
    // the build time is 151 days before the fleet's start, as many days before its true time at boot as then
    Instant stamp = io.hostmesh.unit.support.TimeFormats.parseStamp(Files.readString(root.resolve("etc/timestamp")).strip()).orElseThrow();
    long buildOffset = Instant.parse("2030-01-01T00:00:00Z").toEpochMilli() - d.fleetBootTime().toEpochMilli();
    assertTrue(stamp.toEpochMilli() >= before + buildOffset - 1000 && stamp.toEpochMilli() <= after + buildOffset, stamp.toString());
    assertEquals("20.000000", Files.readString(root.resolve("dev/rtc.drift-ppm")).strip());
    assertTrue(Files.exists(root.resolve("dev/rtc")));
    assertTrue(r.out().contains("RTC: ") && r.out().contains("+20.000 ppm"), r.out());
    // a second replay of the same device reuses its root; another device may not
    FleetCommandTest.Ran again = hostmesh("fleet", "replay", OUTAGE.toString(), "--devices", "40", "--device",
        Integer.toString(id), "--root", root.toString(), "--exit-when-ready", "--timeout", "90");
    assertTrue(again.out().contains("holds this device from an earlier replay"), again.out() + again.err());
    String configBefore = Files.readString(root.resolve("mnt/boot/config.json"));
    FleetCommandTest.Ran other = hostmesh("fleet", "replay", OUTAGE.toString(), "--devices", "40", "--device",
        Integer.toString(id + 1), "--root", root.toString());
    assertEquals(73, other.code());
    assertTrue(other.err().contains("is not empty and not a replay of this device"), other.err());
    assertEquals(configBefore, Files.readString(root.resolve("mnt/boot/config.json")), "nothing changed");
    await("no process left", () -> ProcessHandle.current().descendants().noneMatch(ProcessHandle::isAlive));
  }

  @Test
  void badInputIsRefusedWithTheReason(@TempDir Path tmp) {
    FleetCommandTest.Ran beyond = hostmesh("fleet", "replay", OUTAGE.toString(), "--devices", "40", "--device", "40");
    assertEquals(64, beyond.code());
    assertTrue(beyond.err().contains("--device 40 is not a device of this fleet (ids 0 to 39)"), beyond.err());
    FleetCommandTest.Ran negative = hostmesh("fleet", "replay", OUTAGE.toString(), "--device", "-1");
    assertEquals(64, negative.code());
    assertTrue(negative.err().contains("--device takes a device id (0 or more), not -1"), negative.err());
    FleetCommandTest.Ran none = hostmesh("fleet", "replay", tmp.resolve("nope.json").toString(), "--device", "1");
    assertEquals(66, none.code());
    assertTrue(none.err().contains("no scenario file at"), none.err());
    FleetCommandTest.Ran missing = hostmesh("fleet", "replay", OUTAGE.toString());
    assertEquals(64, missing.code());
    assertTrue(missing.err().contains("--device"), missing.err());
    for (String out : List.of(beyond.out(), negative.out(), none.out())) {
      assertEquals("", out, "nothing booted");
    }
  }
}
