package io.hostmesh.fleet;

import io.hostmesh.cli.ExitCodes;
import io.hostmesh.cli.FleetEngine;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.ToIntFunction;

/**
 * {@code hostmesh fleet replay}'s part in the fleet module: one device of a fleet, drawn as the
 * fleet draws it ({@link DeviceDraw}), described for a sim device root. Everything absolute is
 * given relative to the fleet's true time at the device's first boot, so a replay starting now
 * keeps the device's clock, RTC and build time where they stood against true time.
 */
final class FleetReplay {
  private FleetReplay() {}

  static int replay(FleetEngine.Replay replay, ToIntFunction<FleetEngine.ReplayDevice> boot, PrintWriter err) {
    String text;
    try {
      text = Files.readString(replay.scenario(), StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      err.println("hostmesh fleet replay: no scenario file at " + replay.scenario()
          + " (examples: services/fleet/scenarios/*.json)");
      return ExitCodes.NO_INPUT;
    } catch (IOException e) {
      err.println("hostmesh fleet replay: cannot read " + replay.scenario() + ": " + e.getMessage());
      return ExitCodes.NO_INPUT;
    }
    Scenario scenario;
    try {
      scenario = Scenario.parse(text).with(replay.devices(), replay.seed());
    } catch (Scenario.Invalid e) {
      err.println("hostmesh fleet replay: " + replay.scenario() + ": " + e.getMessage());
      return ExitCodes.DATA;
    }
    if (replay.device() < 0 || replay.device() >= scenario.devices()) {
      err.println("hostmesh fleet replay: --device " + replay.device() + " is not a device of this fleet (ids 0 to "
          + (scenario.devices() - 1) + ")");
      return ExitCodes.USAGE;
    }
    return boot.applyAsInt(device(scenario, replay.device()));
  }

  /** The device {@code id} of the scenario's fleet. */
  static FleetEngine.ReplayDevice device(Scenario scenario, int id) {
    long seed = scenario.seed();
    DeviceDraw d = DeviceDraw.of(scenario, seed, id);
    long trueAtBoot = scenario.startTime().toEpochMilli() + d.bootAtMillis();
    // FleetRtc: its error at virtual 0, plus its drift over the time until the first boot
    long rtcError = d.rtcErrorMillis() + Math.round(d.bootAtMillis() * d.rtcDriftPpm() / 1e6);
    return new FleetEngine.ReplayDevice(scenario.name(), seed, id, d.mixName(), d.config().encodePrettily() + "\n",
        Instant.ofEpochMilli(trueAtBoot), d.bootAtMillis(), scenario.bootClock().toEpochMilli() - trueAtBoot,
        scenario.buildTime().toEpochMilli() - trueAtBoot, d.rtc(), rtcError, d.rtcDriftPpm(), events(scenario, d));
  }

  /** The scenario's events that reach this device, as seconds after its first boot, with the command doing the same. */
  private static List<String> events(Scenario scenario, DeviceDraw d) {
    long seed = scenario.seed();
    List<String> out = new ArrayList<>();
    for (HttpsEndpoint.Window w : d.linkOutages()) {
      out.add(after(w.from(), d) + " until " + after(w.to(), d) + ": its link is down (POST /v1/sim/network"
          + " {\"online\": false}, then {\"online\": true})");
    }
    JsonArray events = scenario.events();
    for (int i = 0; i < events.size(); i++) {
      JsonObject e = events.getJsonObject(i);
      long at = Scenario.millis(e.getValue("at"));
      double share = e.getDouble("share", 1.0);
      String kind = e.getString("kind");
      if (kind.equals("endpoint-outage")) {
        out.add(String.format(Locale.ROOT, "%s: the HTTPS endpoint is out for %d s (%s) for every device; a replay's"
            + " local endpoint is not", after(at, d), Scenario.millis(e.getValue("durationSeconds")) / 1000,
            e.getString("mode", "refused")));
        continue;
      }
      if (!d.picked(seed, i, share)) {
        continue;
      }
      switch (kind) {
        case "power-cut" -> {
          long restore = d.restoreAt(seed, i, at, Scenario.millis(e.getValue("offSeconds", 0)),
              Scenario.millis(e.getValue("restoreSpreadSeconds", 0)));
          out.add(String.format(Locale.ROOT, "%s: power cut, power back %.3f s later (hostmesh sim power-cut)",
              after(at, d), (restore - at) / 1000.0));
        }
        case "config-rollout" -> out.add(after(at, d) + ": config.json gets " + e.getJsonObject("set").encode()
            + " merged in (PATCH /v1/config with that body, or hostmesh config set KEY VALUE)");
        case "hup" -> out.add(after(at, d) + ": host OS update to " + e.getString("version") + " (hostmesh sim hup --version "
            + e.getString("version") + (d.brokenHup(seed, i, e.getDouble("brokenShare", 0.0)) ? " --break " + e.getString("break", "engine") : "")
            + ")");
        default -> { }
      }
    }
    return out;
  }

  private static String after(long virtualMillis, DeviceDraw d) {
    long s = virtualMillis - d.bootAtMillis();
    return String.format(Locale.ROOT, "%.3f s %s its first boot", Math.abs(s) / 1000.0, s < 0 ? "before" : "after");
  }
}
