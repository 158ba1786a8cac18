package io.hostmesh.units.time;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hostmesh.api.HttpApi;
import io.hostmesh.schema.time.ClockSet;
import io.hostmesh.schema.time.TimeTopics;
import io.hostmesh.spi.ApiRoutes;
import io.hostmesh.testing.SimDevice;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.time.Instant;
import java.util.ServiceLoader;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** POST /v1/sim/clock and /v1/sim/rtc through the ApiRoutes SPI, on a real HTTP server on 127.0.0.1. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
class SimClockRoutesTest {
  @Test
  void theApiSetsAndSkewsTheClockAsSim(Vertx vertx) throws Exception {
    try (SimDevice dev = SimDevice.builder(vertx).build()) {
      get(dev.start());
      HttpServer server = serve(vertx, dev);
      WebClient client = WebClient.create(vertx);
      try {
        Future<ClockSet> published = dev.await(TimeTopics.CLOCK_SET, c -> c.now().equals(Instant.parse("2030-01-01T00:00:00Z")));
        HttpResponse<Buffer> set = post(client, server, "/v1/sim/clock", "{\"set\": \"2030-01-01T00:00:00Z\"}");
        assertEquals(200, set.statusCode(), set.bodyAsString());
        assertEquals("sim", set.bodyAsJsonObject().getString("source"));
        assertEquals("sim", get(published).source());
        Instant now = dev.mesh().platform().clock().now();
        assertTrue(Duration.between(Instant.parse("2030-01-01T00:00:00Z"), now).abs().toSeconds() < 10, now.toString());

        Future<ClockSet> skewed = dev.await(TimeTopics.CLOCK_SET, c -> c.now().isBefore(Instant.parse("2030-01-01T00:00:00Z")));
        HttpResponse<Buffer> skew = post(client, server, "/v1/sim/clock", "{\"skewSeconds\": -120}");
        assertEquals(200, skew.statusCode(), skew.bodyAsString());
        ClockSet s = get(skewed);
        assertEquals("sim", s.source());
        assertEquals(-120, Duration.between(s.previous(), s.now()).toSeconds(), 1);

        Instant before = dev.mesh().platform().clock().now();
        for (String bad : new String[] {"not json", "[1]", "{}", "{\"set\": \"tomorrow\"}", "{\"set\": 5}",
            "{\"skewSeconds\": \"-120\"}", "{\"skewSeconds\": 1.5}", "{\"skewSeconds\": 1e300}",
            "{\"set\": \"2030-01-01T00:00:00Z\", \"skewSeconds\": 1}", "{\"sett\": \"2030-01-01T00:00:00Z\"}"}) {
          HttpResponse<Buffer> r = post(client, server, "/v1/sim/clock", bad);
          assertEquals(400, r.statusCode(), bad);
          assertTrue(r.bodyAsJsonObject().getString("error").contains("\""), bad + ": names what is expected");
        }
        assertEquals(413, post(client, server, "/v1/sim/clock", "{\"skewSeconds\": 1, \"pad\": \"" + "x".repeat(2000) + "\"}").statusCode());
        assertTrue(Duration.between(before, dev.mesh().platform().clock().now()).toSeconds() < 10, "refused bodies change nothing");
      } finally {
        client.close();
        get(server.close());
      }
    }
  }

  @Test
  void theApiSetsRemovesAndDetunesTheRtc(Vertx vertx) throws Exception {
    try (SimDevice dev = SimDevice.builder(vertx).build()) {
      get(dev.start());
      HttpServer server = serve(vertx, dev);
      WebClient client = WebClient.create(vertx);
      try {
        HttpResponse<Buffer> set = post(client, server, "/v1/sim/rtc", "{\"set\": \"2023-06-01T00:00:00Z\"}");
        assertEquals(200, set.statusCode(), set.bodyAsString());
        assertTrue(set.bodyAsJsonObject().getBoolean("present"));
        assertTrue(dev.mesh().platform().rtc().present());
        Instant rtc = get(dev.mesh().platform().rtc().read()).orElseThrow();
        assertTrue(Duration.between(Instant.parse("2023-06-01T00:00:00Z"), rtc).abs().toSeconds() < 10, rtc.toString());

        // 1e5 ppm = 10 %: the RTC written 100 s ago reads 110 s on
        HttpResponse<Buffer> drift = post(client, server, "/v1/sim/rtc", "{\"driftPpm\": 100000}");
        assertEquals(200, drift.statusCode(), drift.bodyAsString());
        assertEquals(100000.0, drift.bodyAsJsonObject().getDouble("driftPpm"));
        Instant base = get(dev.mesh().platform().rtc().read()).orElseThrow();
        long hundredSecondsAgo = System.currentTimeMillis() - 100_000;
        java.nio.file.Files.setLastModifiedTime(dev.path("/dev/rtc"), java.nio.file.attribute.FileTime.fromMillis(hundredSecondsAgo));
        Instant drifted = get(dev.mesh().platform().rtc().read()).orElseThrow();
        long gained = Duration.between(base, drifted).toSeconds();
        assertTrue(gained >= 105 && gained <= 115, "10 % fast over 100 s: " + gained);

        for (String bad : new String[] {"not json", "{}", "{\"remove\": false}", "{\"remove\": \"yes\"}",
            "{\"driftPpm\": \"5\"}", "{\"driftPpm\": 1000000}", "{\"set\": \"2023\"}", "{\"remove\": true, \"driftPpm\": 1}"}) {
          HttpResponse<Buffer> r = post(client, server, "/v1/sim/rtc", bad);
          assertEquals(400, r.statusCode(), bad);
          assertTrue(r.bodyAsJsonObject().getString("error").contains("\""), bad + ": names what is expected");
        }
        assertTrue(dev.mesh().platform().rtc().present(), "refused bodies change nothing");

        HttpResponse<Buffer> removed = post(client, server, "/v1/sim/rtc", "{\"remove\": true}");
        assertEquals(200, removed.statusCode(), removed.bodyAsString());
        assertFalse(removed.bodyAsJsonObject().getBoolean("present"));
        assertFalse(dev.mesh().platform().rtc().present());
        assertFalse(java.nio.file.Files.exists(dev.path("/dev/rtc.drift-ppm")), "the drift goes with the RTC");
      } finally {
        client.close();
        get(server.close());
      }
    }
  }

  @Test
  void aRealDeviceRefusesBothAndKeepsItsClocks(Vertx vertx) throws Exception {
    try (SimDevice dev = SimDevice.builder(vertx).platform(AsDevice::new).build()) {
      get(dev.start());
      HttpServer server = serve(vertx, dev);
      WebClient client = WebClient.create(vertx);
      try {
        assertEquals(409, post(client, server, "/v1/sim/clock", "{\"skewSeconds\": -120}").statusCode());
        assertEquals(409, post(client, server, "/v1/sim/rtc", "{\"set\": \"2023-06-01T00:00:00Z\"}").statusCode());
        assertEquals(409, post(client, server, "/v1/sim/rtc", "{\"driftPpm\": 5}").statusCode());
        assertTrue(dev.mesh().platform().clock().lastSet().isEmpty(), "the clock was not set");
        assertFalse(dev.mesh().platform().rtc().present());
      } finally {
        client.close();
        get(server.close());
      }
    }
  }

  /** The sim platform calling itself a real device: what the routes must refuse. */
  record AsDevice(io.hostmesh.platform.Platform p) implements io.hostmesh.platform.Platform {
    public io.hostmesh.platform.Profile profile() { return io.hostmesh.platform.Profile.DEVICE; }
    public io.hostmesh.platform.HostFiles files() { return p.files(); }
    public io.hostmesh.platform.SystemClock clock() { return p.clock(); }
    public io.hostmesh.platform.Rtc rtc() { return p.rtc(); }
    public io.hostmesh.platform.Processes processes() { return p.processes(); }
    public io.hostmesh.platform.Scheduler scheduler() { return p.scheduler(); }
    public void close() { p.close(); }
  }

  static HttpServer serve(Vertx vertx, SimDevice dev) throws Exception {
    Router router = Router.router(vertx);
    // found the way the API finds it: through the SPI file
    ApiRoutes routes = ServiceLoader.load(ApiRoutes.class).stream().map(ServiceLoader.Provider::get)
        .filter(r -> r instanceof SimClockRoutes).findFirst().orElseThrow();
    HttpApi.mount(router, routes, dev.mesh());
    return get(vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1"));
  }

  static HttpResponse<Buffer> post(WebClient client, HttpServer server, String path, String body) throws Exception {
    return get(client.post(server.actualPort(), "127.0.0.1", path)
        .putHeader("content-type", "application/json").sendBuffer(Buffer.buffer(body)));
  }

  static <T> T get(Future<T> f) throws Exception {
    return f.await(20, TimeUnit.SECONDS);
  }
}
