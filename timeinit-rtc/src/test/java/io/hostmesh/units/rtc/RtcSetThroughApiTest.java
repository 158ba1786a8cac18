package io.hostmesh.units.rtc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hostmesh.api.HttpApi;
import io.hostmesh.schema.targets.Targets;
import io.hostmesh.spi.ApiRoutes;
import io.hostmesh.testing.SimDevice;
import io.hostmesh.unit.support.BuildTime;
import io.hostmesh.unit.support.TimeFormats;
import io.hostmesh.units.time.BuildTimeInit;
import io.hostmesh.units.time.FakeHwclock;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import io.vertx.junit5.VertxExtension;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 13's RTC scenario driven as a test engineer would: {@code POST /v1/sim/rtc} puts the RTC
 * three years before the build time, and the next boot of that root warns that the RTC is in
 * the past (the file-RTC variant is in {@link RtcTimeInitTest}).
 */
@ExtendWith(VertxExtension.class)
@Timeout(30)
class RtcSetThroughApiTest {
  @Test
  void anRtcYearsBehindSetThroughTheApiWarnsAtTheNextBoot(Vertx vertx, @TempDir Path root) throws Exception {
    Instant build = RtcTimeInitTest.BUILD;
    Instant threeYearsBefore = build.atZone(ZoneOffset.UTC).minusYears(3).toInstant();
    try (SimDevice first = SimDevice.builder(vertx).root(root).build()) {
      first.start().await();
      Router router = Router.router(vertx);
      ApiRoutes routes = ServiceLoader.load(ApiRoutes.class).stream().map(ServiceLoader.Provider::get)
          .filter(r -> r.getClass().getSimpleName().equals("SimClockRoutes")).findFirst().orElseThrow();
      HttpApi.mount(router, routes, first.mesh());
      HttpServer server = vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1").await();
      try {
        HttpResponse<String> r = HttpClient.newHttpClient().send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.actualPort() + "/v1/sim/rtc"))
                .timeout(Duration.ofSeconds(10)).header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"set\": \"" + threeYearsBefore + "\"}")).build(),
            HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
      } finally {
        server.close().await();
        first.stop().await();
      }
    }

    try (SimDevice next = SimDevice.builder(vertx).root(root)
        .unit(BuildTimeInit::new).unit(FakeHwclock::new).unit(RtcTimeInit::new)
        .file(BuildTime.FILE, TimeFormats.stamp(build) + "\n").build()) {
      next.start().await();
      next.await(Targets.TIME_SET, t -> true).await();
      assertEquals("build-time", next.mesh().platform().clock().lastSet().orElseThrow().source(), "the RTC did not set the clock");
      assertTrue(next.logged("timeinit-rtc", "RTC time is in the past."));
      assertTrue(next.logged("timeinit-rtc", "Check RTC battery if this issue persists."));
      assertTrue(next.logs().stream().anyMatch(l -> l.message().startsWith("RTC time: " + threeYearsBefore.toString().substring(0, 4))),
          "the RTC's year in the warning");
    }
  }
}
