package io.hostmesh.units.time;

import io.hostmesh.mesh.Mesh;
import io.hostmesh.platform.Platform;
import io.hostmesh.platform.Profile;
import io.hostmesh.platform.internal.SimRtc;
import io.hostmesh.schema.time.ClockSet;
import io.hostmesh.spi.ApiRequest;
import io.hostmesh.spi.ApiResponse;
import io.hostmesh.spi.ApiRouter;
import io.hostmesh.spi.ApiRoutes;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * Clock controls of a sim device. {@code POST /v1/sim/clock} with {@code {"set": "<ISO-8601 instant>"}}
 * or {@code {"skewSeconds": N}} sets the system clock (a {@code ClockSet} with source {@code sim}
 * on the bus and in the timeline). {@code POST /v1/sim/rtc} with {@code {"set": "<instant>"}},
 * {@code {"remove": true}} or {@code {"driftPpm": N}} sets, removes or detunes the RTC. 400 for
 * another body (nothing changed), 409 on a real device: its clocks are not the API's to move.
 */
public final class SimClockRoutes implements ApiRoutes {
  /** Far more than either body needs; a larger body is refused unread. */
  static final int BODY_LIMIT = 1024;
  /** A skew beyond a century is a typo, not a test. */
  static final long MAX_SKEW_SECONDS = 100L * 366 * 24 * 3600;
  /** Real RTC crystals are off by tens of ppm; beyond ±1e6 the clock would run backwards. */
  static final double MAX_DRIFT_PPM = 1_000_000;
  static final String SOURCE = "sim";
  static final String CLOCK_BODY = "expected a JSON object {\"set\": \"2030-01-01T00:00:00Z\"} or {\"skewSeconds\": -120}";
  static final String RTC_BODY =
      "expected a JSON object {\"set\": \"2030-01-01T00:00:00Z\"}, {\"remove\": true} or {\"driftPpm\": 50}";

  @Override
  public void register(ApiRouter router, Mesh mesh) {
    router.post("/v1/sim/clock", BODY_LIMIT, request -> clock(request, mesh.platform()));
    router.post("/v1/sim/rtc", BODY_LIMIT, request -> rtc(request, mesh.platform()));
  }

  static Future<ApiResponse> clock(ApiRequest request, Platform platform) {
    Optional<JsonObject> body = request.jsonObject();
    if (body.isEmpty() || body.get().size() != 1) {
      return ApiResponse.error(400, CLOCK_BODY).now();
    }
    Instant target;
    if (body.get().containsKey("set")) {
      Optional<Instant> t = instant(body.get().getValue("set"));
      if (t.isEmpty()) {
        return ApiResponse.error(400, "\"set\" must be an ISO-8601 instant such as 2030-01-01T00:00:00Z").now();
      }
      target = t.get();
    } else if (body.get().getValue("skewSeconds") instanceof Number n
        && n.doubleValue() == Math.rint(n.doubleValue()) && Math.abs(n.doubleValue()) <= MAX_SKEW_SECONDS) {
      target = platform.clock().now().plusSeconds(n.longValue());
    } else if (body.get().containsKey("skewSeconds")) {
      return ApiResponse.error(400, "\"skewSeconds\" must be a whole number of seconds within ±" + MAX_SKEW_SECONDS).now();
    } else {
      return ApiResponse.error(400, CLOCK_BODY).now();
    }
    if (platform.profile() != Profile.SIM) {
      return ApiResponse.error(409, "a real device's clock is not set through /v1/sim/clock").now();
    }
    return platform.clock().set(target, SOURCE).map(SimClockRoutes::clockSet)
        .otherwise(e -> ApiResponse.error(500, "the clock was not set: " + e.getMessage()));
  }

  static Future<ApiResponse> rtc(ApiRequest request, Platform platform) {
    Optional<JsonObject> body = request.jsonObject();
    if (body.isEmpty() || body.get().size() != 1) {
      return ApiResponse.error(400, RTC_BODY).now();
    }
    JsonObject b = body.get();
    Future<?> change;
    if (b.containsKey("set")) {
      Optional<Instant> t = instant(b.getValue("set"));
      if (t.isEmpty()) {
        return ApiResponse.error(400, "\"set\" must be an ISO-8601 instant such as 2030-01-01T00:00:00Z").now();
      }
      if (platform.profile() != Profile.SIM) {
        return refused();
      }
      change = platform.rtc().write(t.get());
    } else if (b.containsKey("remove")) {
      if (!Boolean.TRUE.equals(b.getValue("remove"))) {
        return ApiResponse.error(400, "\"remove\" must be true").now();
      }
      if (platform.profile() != Profile.SIM) {
        return refused();
      }
      change = platform.files().delete(SimRtc.DRIFT_PATH).compose(x -> platform.files().delete("/dev/rtc"));
    } else if (b.getValue("driftPpm") instanceof Number n && Math.abs(n.doubleValue()) < MAX_DRIFT_PPM) {
      if (platform.profile() != Profile.SIM) {
        return refused();
      }
      change = drift(platform, n.doubleValue());
    } else if (b.containsKey("driftPpm")) {
      return ApiResponse.error(400, "\"driftPpm\" must be a number between -1000000 and 1000000 (exclusive)").now();
    } else {
      return ApiResponse.error(400, RTC_BODY).now();
    }
    return change.compose(x -> platform.rtc().read())
        .map(t -> ApiResponse.json(200, new JsonObject().put("present", t.isPresent())
            .put("time", t.map(String::valueOf).orElse(null)).put("driftPpm", driftOf(platform))))
        .otherwise(e -> ApiResponse.error(500, "the RTC was not changed: " + e.getMessage()));
  }

  /**
   * Drift counts from the RTC's last write, so the RTC is written again at what it reads now:
   * the new drift then applies from this moment on, not retroactively.
   */
  private static Future<Void> drift(Platform platform, double ppm) {
    return platform.rtc().read().compose(now -> {
      Future<Void> saved = ppm == 0 ? platform.files().delete(SimRtc.DRIFT_PATH).mapEmpty()
          : platform.files().write(SimRtc.DRIFT_PATH, ppm + "\n", null);
      return now.isPresent() ? saved.compose(x -> platform.rtc().write(now.get())) : saved;
    });
  }

  private static double driftOf(Platform platform) {
    try {
      return platform.files().read(SimRtc.DRIFT_PATH).map(String::trim).map(Double::parseDouble).orElse(0.0);
    } catch (java.io.IOException | NumberFormatException e) {
      return 0;
    }
  }

  private static Future<ApiResponse> refused() {
    return ApiResponse.error(409, "a real device's RTC is not set through /v1/sim/rtc").now();
  }

  private static ApiResponse clockSet(ClockSet s) {
    return ApiResponse.json(200, new JsonObject().put("previous", String.valueOf(s.previous()))
        .put("now", String.valueOf(s.now())).put("source", s.source()));
  }

  private static Optional<Instant> instant(Object value) {
    if (!(value instanceof String s)) {
      return Optional.empty();
    }
    try {
      return Optional.of(Instant.parse(s));
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }
}
