package io.hostmesh.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hostmesh.platform.Poll;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code hostmesh fleet run --port N}: GET /v1/fleet answers a real HTTP client while the fleet runs, then goes. */
class FleetLiveTest {
  private final Vertx vertx = Vertx.vertx();
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @AfterEach
  void close() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  HttpResponse<String> get(int port, String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(10))
        .build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  @Timeout(value = 240, unit = TimeUnit.SECONDS)
  void whileTheFleetRunsItsProgressAndCountersSoFarAreServed(@TempDir Path tmp) throws Exception {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CompletableFuture<Integer> code = CompletableFuture.supplyAsync(() -> io.hostmesh.cli.Main.execute(
        new PrintWriter(out, true), new PrintWriter(err, true), "fleet", "run", FleetCommandTest.HERD.toString(),
        "--devices", "120", "--seed", "4", "--partitions", "2", "--report", tmp.resolve("r").toString(), "--port", "0"));
    Pattern served = Pattern.compile("fleet: GET http://127\\.0\\.0\\.1:(\\d+)/v1/fleet");
    int[] port = {-1};
    Poll.until(vertx, Duration.ofSeconds(60), Duration.ofMillis(20), "the port on standard error", () -> {
      Matcher m = served.matcher(err.toString());
      if (m.find()) {
        port[0] = Integer.parseInt(m.group(1));
      }
      return port[0] > 0;
    }).toCompletionStage().toCompletableFuture().get(90, TimeUnit.SECONDS);

    // ask again and again, one request at a time, until two answers of the running fleet are in
    List<JsonObject> running = new ArrayList<>();
    CompletableFuture<?>[] inFlight = {null};
    Poll.until(vertx, Duration.ofSeconds(120), Duration.ofMillis(30), "two answers while the fleet runs", () -> {
      if (inFlight[0] == null || inFlight[0].isDone()) {
        inFlight[0] = http.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port[0] + "/v1/fleet")).build(),
            HttpResponse.BodyHandlers.ofString()).thenAccept(r -> {
              JsonObject j = new JsonObject(r.body());
              if (r.statusCode() == 200 && j.getString("state").equals("running")
                  && j.getJsonObject("counters").getLong("boots", 0L) > 0) {
                synchronized (running) {
                  running.add(j);
                }
              }
            });
      }
      synchronized (running) {
        return running.size() >= 2 || code.isDone();
      }
    }).toCompletionStage().toCompletableFuture().get(150, TimeUnit.SECONDS);
    assertTrue(running.size() >= 2, "the fleet ended before two answers came: " + running + "\n" + err);

    JsonObject first = running.get(0);
    JsonObject second = running.get(1);
    assertEquals("power-cut-herd", first.getString("scenario"));
    assertEquals(4L, first.getLong("seed"));
    assertEquals(120, first.getInteger("devices"));
    assertEquals(2, first.getInteger("partitions"));
    JsonObject p = first.getJsonObject("progress");
    assertEquals(7200L, p.getLong("durationSeconds"));
    assertTrue(p.getLong("virtualSeconds") >= 0 && p.getLong("virtualSeconds") <= 7200, p.encode());
    assertTrue(p.getInteger("devicesBooted") >= 1 && p.getInteger("devicesBooted") <= 120, p.encode());
    assertTrue(p.getInteger("devicesUp") <= p.getInteger("devicesBooted"), p.encode());
    assertTrue(p.getLong("virtualEvents") > 0, p.encode());
    assertTrue(p.getInteger("partitionsDone") < 2, p.encode());
    assertTrue(p.containsKey("eventsPerSecond"), p.encode());
    assertTrue(second.getJsonObject("progress").getLong("virtualEvents") >= p.getLong("virtualEvents"), "events only grow");
    assertTrue(second.getJsonObject("counters").getLong("boots") >= first.getJsonObject("counters").getLong("boots"));

    assertEquals(404, get(port[0], "/v1/nothing").statusCode());
    HttpResponse<String> post = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port[0] + "/v1/fleet"))
        .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(405, post.statusCode());

    assertEquals(0, code.get(200, TimeUnit.SECONDS), err.toString());
    JsonObject report = new JsonObject(Files.readString(tmp.resolve("r/report.json")));
    long boots = report.getJsonObject("counters").getLong("boots");
    assertTrue(second.getJsonObject("counters").getLong("boots") <= boots, "so far is at most the total");
    assertThrows(ConnectException.class, () -> get(port[0], "/v1/fleet"), "nothing serves once the run has ended");

    // asking took snapshots between virtual events: the same fleet unwatched gives the same bytes
    FleetCommandTest.Ran quiet = FleetCommandTest.hostmesh("fleet", "run", FleetCommandTest.HERD.toString(), "--devices", "120",
        "--seed", "4", "--partitions", "2", "--report", tmp.resolve("q").toString());
    assertEquals(0, quiet.code(), quiet.err());
    assertEquals(-1, Files.mismatch(tmp.resolve("r/report.json"), tmp.resolve("q/report.json")), "report.json differs");
  }

  @Test
  void aPortInUseOrOutOfRangeIsRefusedAndNothingRuns(@TempDir Path tmp) throws Exception {
    Path report = tmp.resolve("r");
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      FleetCommandTest.Ran r = FleetCommandTest.hostmesh("fleet", "run", FleetCommandTest.HERD.toString(), "--devices", "2",
          "--report", report.toString(), "--port", Integer.toString(taken.getLocalPort()));
      assertEquals(69, r.code(), r.err());
      assertTrue(r.err().contains("cannot serve GET /v1/fleet on 127.0.0.1:" + taken.getLocalPort()), r.err());
      assertTrue(r.err().contains("(--port 0 picks a free port)"), r.err());
    }
    FleetCommandTest.Ran range = FleetCommandTest.hostmesh("fleet", "run", FleetCommandTest.HERD.toString(), "--port", "70000",
        "--report", report.toString());
    assertEquals(64, range.code());
    assertTrue(range.err().contains("--port must be a TCP port 0-65535, not 70000"), range.err());
    assertTrue(Files.notExists(report), "nothing written for a refused run");
  }
}
