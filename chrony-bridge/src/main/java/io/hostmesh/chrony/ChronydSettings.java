package io.hostmesh.chrony;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code units.chronyd} settings of the mesh settings file, with the spec's values as
 * defaults. Example (sim): {@code {"servers": ["127.0.0.2 port 11123 iburst minpoll -2 maxpoll 0"],
 * "healthCheckSeconds": 1, "waitsyncTries": 3, "statusSeconds": 0.25}}.
 *
 * @param servers sim only: one {@code server} line each (host, then chrony options)
 * @param healthInterval the sleep between two health checks (healthdog: WatchdogSec/2 = 120 s)
 * @param waitsyncTries chrony-healthcheck's {@code waitsync 60 0.1 0.0 1}: tries, one second apart
 * @param statusInterval how often {@code ChronyStatus} is refreshed once synchronised (1 s before)
 * @param stepThresholdSeconds sim only: the simulated clock is stepped when it is off by more
 *     (chrony's {@code makestep 1 -1})
 * @param startTimeout how long chronyd may take to answer on its command socket
 * @param chronyd the chronyd program
 * @param chronyc the chronyc program
 */
record ChronydSettings(
    List<String> servers,
    Duration healthInterval,
    int waitsyncTries,
    Duration statusInterval,
    double stepThresholdSeconds,
    Duration startTimeout,
    String chronyd,
    String chronyc) {

  /** spec/units.md §chronyd: healthdog checks after each sleep of WatchdogSec/2 = 120 s. */
  static final double HEALTH_CHECK_SECONDS = 120;
  /** spec/units.md §chronyd: {@code waitsync 60 0.1 0.0 1}. */
  static final int WAITSYNC_TRIES = 60;
  static final double STATUS_SECONDS = 16;
  /** spec/units.md §chronyd: {@code makestep 1 -1}. */
  static final double STEP_THRESHOLD_SECONDS = 1;

  /** Reads the settings; throws {@link IllegalArgumentException} naming a bad value. */
  static ChronydSettings from(JsonObject s) {
    List<String> servers = new ArrayList<>();
    JsonArray a = s.getJsonArray("servers", new JsonArray());
    for (Object o : a) {
      String line = String.valueOf(o).trim();
      String[] words = line.split(" ", 2);
      SourceNames.serverProblem(words[0]).ifPresent(p -> {
        throw new IllegalArgumentException("units.chronyd.servers: " + p);
      });
      if (words.length > 1) {
        SourceNames.optionsProblem(words[1]).ifPresent(p -> {
          throw new IllegalArgumentException("units.chronyd.servers: " + p);
        });
      }
      servers.add(line);
    }
    int tries = s.getInteger("waitsyncTries", WAITSYNC_TRIES);
    if (tries < 1) {
      throw new IllegalArgumentException("units.chronyd.waitsyncTries must be at least 1, not " + tries);
    }
    return new ChronydSettings(List.copyOf(servers),
        seconds(s, "healthCheckSeconds", HEALTH_CHECK_SECONDS),
        tries,
        seconds(s, "statusSeconds", STATUS_SECONDS),
        s.getDouble("stepThresholdSeconds", STEP_THRESHOLD_SECONDS),
        seconds(s, "startTimeoutSeconds", 10),
        s.getString("chronyd", "chronyd"),
        s.getString("chronyc", "chronyc"));
  }

  private static Duration seconds(JsonObject s, String key, double dflt) {
    double v = s.getDouble(key, dflt);
    if (!(v > 0) || v > 86_400) {
      throw new IllegalArgumentException("units.chronyd." + key + " must be in (0, 86400] seconds, not " + v);
    }
    return Duration.ofMillis(Math.round(v * 1000));
  }
}
