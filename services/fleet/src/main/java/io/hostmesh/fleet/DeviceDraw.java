package io.hostmesh.fleet;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * What a device of a fleet is, drawn from the seed and its id alone: its mix, RTC, config.json,
 * first boot and link outages. The fleet ({@link FleetPartition}, {@link FleetDevice}) and
 * {@code hostmesh fleet replay} both take a device from here, so a replayed device is the one the
 * fleet ran.
 *
 * @param id the device id
 * @param mix the mix it belongs to (the scenario's entry)
 * @param rtc whether it has an RTC
 * @param rtcDriftPpm how fast its RTC runs (positive: fast)
 * @param rtcErrorMillis how far its RTC is off true time at virtual 0
 * @param bootAtMillis its first boot, virtual milliseconds
 * @param config its config.json: the template, the mix's overrides, its uuid and (unless set) the endpoint's URI
 * @param linkOutages the windows in which its link is down (virtual milliseconds)
 */
record DeviceDraw(int id, JsonObject mix, boolean rtc, double rtcDriftPpm, long rtcErrorMillis, long bootAtMillis,
    JsonObject config, List<HttpsEndpoint.Window> linkOutages) {

  static DeviceDraw of(Scenario scenario, long seed, int id) {
    JsonArray mixes = scenario.mixes();
    double u = Draw.unit(seed, 1, id);
    JsonObject mix = mixes.getJsonObject(mixes.size() - 1);
    double acc = 0;
    for (int m = 0; m < mixes.size(); m++) {
      acc += mixes.getJsonObject(m).getDouble("share");
      if (u < acc) {
        mix = mixes.getJsonObject(m);
        break;
      }
    }
    JsonArray linkWindows = scenario.network().getJsonArray("outages", new JsonArray());
    List<HttpsEndpoint.Window> link = new ArrayList<>();
    for (int w = 0; w < linkWindows.size(); w++) {
      JsonObject o = linkWindows.getJsonObject(w);
      if (Draw.unit(seed, 2000 + w, id) < o.getDouble("share", 1.0)) {
        link.add(new HttpsEndpoint.Window(Scenario.millis(o.getValue("from")), Scenario.millis(o.getValue("to")), ""));
      }
    }
    long bootAt = Math.round(scenario.bootSpreadMillis() * Draw.unit(seed, 3, id));
    boolean hasRtc = mix.getBoolean("rtc", true);
    double drift = Scenario.range(mix.getValue("rtcDriftPpm"), 0, Draw.unit(seed, 9, id));
    long error = Math.round(Scenario.range(mix.getValue("initialClockErrorSeconds"), 0, Draw.unit(seed, 10, id)) * 1000);
    return new DeviceDraw(id, mix, hasRtc, drift, error, bootAt, config(scenario, seed, id, mix), List.copyOf(link));
  }

  String mixName() {
    return mix.getString("name");
  }

  /** Whether event {@code index} of the scenario (with its {@code share}) picks this device. */
  boolean picked(long seed, int index, double share) {
    return Draw.unit(seed, 1000 + index, id) < share;
  }

  /** Whether HUP event {@code index} gives this device a broken image (a share {@code brokenShare} of those it picks). */
  boolean brokenHup(long seed, int index, double brokenShare) {
    return brokenHup(seed, index, id, brokenShare);
  }

  static boolean brokenHup(long seed, int index, int id, double brokenShare) {
    return Draw.unit(seed, 3000 + index, id) < brokenShare;
  }

  /** When a power cut (event {@code index}) gives this device its power back, virtual ms. */
  long restoreAt(long seed, int index, long at, long offMillis, long spreadMillis) {
    return at + offMillis + Math.round(spreadMillis * Draw.unit(seed, 1000 + index + 500, id));
  }

  private static JsonObject config(Scenario scenario, long seed, int id, JsonObject mix) {
    JsonObject config = scenario.config().copy();
    FleetPartition.mergePatch(config, mix.getJsonObject("config", new JsonObject()));
    config.put("uuid", String.format("%016x%016x", Draw.hash(seed, 11, id), Draw.hash(seed, 12, id)));
    JsonObject os = config.getJsonObject("os", new JsonObject());
    JsonObject network = os.getJsonObject("network", new JsonObject());
    JsonObject connectivity = network.getJsonObject("connectivity", new JsonObject());
    if (!connectivity.containsKey("uri") && !config.containsKey("apiEndpoint")) {
      connectivity.put("uri", scenario.uri());
      network.put("connectivity", connectivity);
      os.put("network", network);
      config.put("os", os);
    }
    return config;
  }
}
