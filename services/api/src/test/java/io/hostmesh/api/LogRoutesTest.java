package io.hostmesh.api;

import io.hostmesh.testing.ScriptedUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hostmesh.testing.SimDevice;
import io.hostmesh.unit.UnitDescriptor;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@code GET /v1/logs} on a real HttpApi on 127.0.0.1, the follow read by a real HTTP client. */
@ExtendWith(VertxExtension.class)
@Timeout(30)
class LogRoutesTest {
  /** A unit that logs "tick N" every second of (virtual) time, and "up" once started. */
  private static SimDevice device(Vertx vertx) {
    return SimDevice.builder(vertx).virtualTime()
        .unit(() -> new ScriptedUnit(UnitDescriptor.named("ticker").service().build(), u -> {
          int[] n = {0};
          u.scheduler().periodic(Duration.ofSeconds(1), () -> u.log().info("tick " + ++n[0]));
          u.log().info("up");
          return Future.succeededFuture();
        }))
        .unit(() -> new ScriptedUnit(UnitDescriptor.named("quiet").build(), u -> {
          u.log().warn("nothing to say");
          return Future.succeededFuture();
        }))
        .build();
  }

  private static HttpApi api(Vertx vertx, SimDevice dev) {
    HttpApi api = new HttpApi(dev.mesh(), "127.0.0.1", 0);
    vertx.deployVerticle(api).await();
    return api;
  }

  @Test
  void linesByUnitTailCursorAndTimeAndClearErrors(Vertx vertx) {
    try (SimDevice dev = device(vertx)) {
      dev.start().await();
      dev.mesh().whenSettled().await();
      dev.time().advanceBy(Duration.ofSeconds(3)).await();
      HttpApi api = api(vertx, dev);
      WebClient web = WebClient.create(vertx);
      String base = "http://127.0.0.1:" + api.port() + "/v1/logs";

      JsonArray all = web.getAbs(base).send().await().bodyAsJsonArray();
      assertEquals(5, all.size(), all.encode());
      JsonObject first = all.getJsonObject(0);
      assertEquals(dev.mesh().bootId(), first.getString("boot"));
      assertTrue(first.containsKey("seq") && first.containsKey("wallTime") && first.containsKey("level"), first.encode());

      JsonArray ticker = web.getAbs(base + "?unit=ticker&lines=2").send().await().bodyAsJsonArray();
      assertEquals(List.of("tick 2", "tick 3"), messages(ticker));
      long cursor = ticker.getJsonObject(0).getLong("seq");
      assertEquals(List.of("tick 3"), messages(web.getAbs(base + "?unit=ticker&after=" + cursor).send().await().bodyAsJsonArray()));
      String future = Instant.now().plus(Duration.ofDays(400)).toString();
      assertEquals(0, web.getAbs(base + "?since=" + future).send().await().bodyAsJsonArray().size());
      assertEquals(5, web.getAbs(base + "?since=-1d").send().await().bodyAsJsonArray().size());

      var unknown = web.getAbs(base + "?unit=nope").send().await();
      assertEquals(404, unknown.statusCode());
      assertEquals("no unit named nope", unknown.bodyAsJsonObject().getString("error"));
      for (String bad : List.of("since=yesterday", "lines=0", "lines=x", "after=-1", "follow=maybe")) {
        var r = web.getAbs(base + "?" + bad).send().await();
        assertEquals(400, r.statusCode(), bad);
        assertTrue(r.bodyAsJsonObject().getString("error").startsWith(bad.substring(0, bad.indexOf('='))), r.bodyAsString());
      }
    }
  }

  @Test
  void followSendsTheBacklogThenEveryNewLineAsServerSentEventsAndEndsWithTheApi(Vertx vertx) throws Exception {
    try (SimDevice dev = device(vertx)) {
      dev.start().await();
      dev.mesh().whenSettled().await();
      HttpApi api = api(vertx, dev);
      HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
      HttpResponse<java.io.InputStream> res = http.send(HttpRequest.newBuilder(
          URI.create("http://127.0.0.1:" + api.port() + "/v1/logs?unit=ticker&follow=true")).build(),
          HttpResponse.BodyHandlers.ofInputStream());
      assertEquals(200, res.statusCode());
      assertTrue(res.headers().firstValue("content-type").orElse("").startsWith("text/event-stream"));
      BlockingQueue<String> events = new ArrayBlockingQueue<>(100);
      Thread reader = new Thread(() -> readEvents(res.body(), events), "sse-reader");
      reader.setDaemon(true);
      reader.start();

      assertEquals("up", message(events.poll(10, TimeUnit.SECONDS)), "the backlog first");
      dev.time().advanceBy(Duration.ofSeconds(2)).await();
      assertEquals("tick 1", message(events.poll(10, TimeUnit.SECONDS)));
      assertEquals("tick 2", message(events.poll(10, TimeUnit.SECONDS)));
      assertEquals(1, dev.mesh().journal().followers());

      vertx.undeploy(api.deploymentID()).await();
      assertEquals("END", events.poll(10, TimeUnit.SECONDS), "the stream ends when the API stops");
      io.hostmesh.platform.Poll.until(vertx, Duration.ofSeconds(10), Duration.ofMillis(10), "follower gone",
          () -> dev.mesh().journal().followers() == 0).await();
    }
  }

  @Test
  void aFollowResumesAfterTheLastEventId(Vertx vertx) throws Exception {
    try (SimDevice dev = device(vertx)) {
      dev.start().await();
      dev.mesh().whenSettled().await();
      dev.time().advanceBy(Duration.ofSeconds(2)).await();
      HttpApi api = api(vertx, dev);
      long tick1 = dev.mesh().journal().query(io.hostmesh.mesh.Journal.Query.ALL.unit("ticker")).stream()
          .filter(e -> e.message().equals("tick 1")).findFirst().orElseThrow().seq();
      HttpResponse<java.io.InputStream> res = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
          URI.create("http://127.0.0.1:" + api.port() + "/v1/logs?unit=ticker&follow"))
          .header("Last-Event-ID", Long.toString(tick1)).build(), HttpResponse.BodyHandlers.ofInputStream());
      BlockingQueue<String> events = new ArrayBlockingQueue<>(100);
      Thread reader = new Thread(() -> readEvents(res.body(), events), "sse-reader");
      reader.setDaemon(true);
      reader.start();
      assertEquals("tick 2", message(events.poll(10, TimeUnit.SECONDS)));
      vertx.undeploy(api.deploymentID()).await();
      assertEquals("END", events.poll(10, TimeUnit.SECONDS));
    }
  }

  /** Puts each event's data on the queue, then "END" when the stream ends. */
  private static void readEvents(java.io.InputStream in, BlockingQueue<String> events) {
    try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        if (line.startsWith("data: ")) {
          events.offer(line.substring(6));
        }
      }
    } catch (java.io.IOException e) {
      events.offer("ERROR " + e);
      return;
    }
    events.offer("END");
  }

  private static String message(String data) {
    return data == null ? null : new JsonObject(data).getString("message");
  }

  private static List<String> messages(JsonArray a) {
    List<String> out = new ArrayList<>();
    a.forEach(o -> out.add(((JsonObject) o).getString("message")));
    return out;
  }
}
