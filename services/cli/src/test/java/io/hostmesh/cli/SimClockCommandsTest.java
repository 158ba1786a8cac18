package io.hostmesh.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hostmesh.api.HttpApi;
import io.hostmesh.schema.time.ClockSet;
import io.hostmesh.testing.SimDevice;
import io.vertx.core.Vertx;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@code hostmesh sim clock|rtc} against a sim device's real HttpApi on 127.0.0.1. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
class SimClockCommandsTest {
  @Test
  void clockAndRtcThroughTheCli(Vertx vertx) {
    try (SimDevice dev = SimDevice.builder(vertx).build()) {
      dev.start().await();
      HttpApi api = new HttpApi(dev.mesh(), "127.0.0.1", 0);
      String deployment = vertx.deployVerticle(api).await();
      String port = Integer.toString(api.port());

      Cli r = Cli.run("sim", "clock", "--skew", "-120", "--port", port);
      assertEquals(0, r.code(), r.toString());
      assertTrue(r.out().contains("\"source\":\"sim\""), r.toString());
      ClockSet s = dev.mesh().platform().clock().lastSet().orElseThrow();
      assertEquals("sim", s.source());
      assertEquals(-120, Duration.between(s.previous(), s.now()).toSeconds(), 1);

      r = Cli.run("sim", "clock", "--set", "2030-01-01T00:00:00Z", "--port", port);
      assertEquals(0, r.code(), r.toString());
      r = Cli.run("sim", "clock", "--set", "tomorrow", "--port", port);
      assertEquals(64, r.code(), r.toString());
      assertTrue(r.err().contains("ISO-8601"), r.toString());
      assertEquals(2, Cli.run("sim", "clock", "--port", port).code(), "one of --set or --skew");
      assertEquals(2, Cli.run("sim", "clock", "--set", "2030-01-01T00:00:00Z", "--skew", "1", "--port", port).code());

      r = Cli.run("sim", "rtc", "--set", "2023-01-01T00:00:00Z", "--port", port);
      assertEquals(0, r.code(), r.toString());
      assertTrue(dev.mesh().platform().rtc().present());
      r = Cli.run("sim", "rtc", "--drift-ppm", "50", "--port", port);
      assertEquals(0, r.code(), r.toString());
      assertTrue(r.out().contains("\"driftPpm\":50.0"), r.toString());
      r = Cli.run("sim", "rtc", "--drift-ppm", "2000000", "--port", port);
      assertEquals(64, r.code(), r.toString());
      r = Cli.run("sim", "rtc", "--remove", "--port", port);
      assertEquals(0, r.code(), r.toString());
      assertFalse(dev.mesh().platform().rtc().present());

      vertx.undeploy(deployment).await();
      assertEquals(1, Cli.run("sim", "rtc", "--remove", "--port", port).code(), "no API any more");
    }
  }
}
