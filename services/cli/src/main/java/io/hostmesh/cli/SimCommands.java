package io.hostmesh.cli;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.time.Duration;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code hostmesh sim reboot|poweroff|power-cut|hup|clock|rtc}: the life of a sim device run by
 * {@code hostmesh run --profile sim} or {@code hostmesh demo}, through its API (found by
 * {@code --root DIR} or {@code --port N}).
 */
final class SimCommands {
  private SimCommands() {}

  /** Posts to a power endpoint: 0 accepted (202), 69 refused (booting, stopping, or not a sim device), 1 no API. */
  abstract static class Power extends ApiCommand {
    abstract String path();

    @Override
    int run(ApiClient client) throws IOException {
      ApiClient.Answer a = client.post(path(), Duration.ofSeconds(10));
      return answer(a, spec.qualifiedName(), this);
    }
  }

  static int answer(ApiClient.Answer a, String name, ApiCommand cmd) {
    if (a.status() == 202) {
      JsonObject body = new JsonObject(new String(a.body(), java.nio.charset.StandardCharsets.UTF_8));
      cmd.out().println(body.getString("message", "accepted"));
      return ExitCodes.OK;
    }
    cmd.err().println(name + ": " + ApiClient.errorText(a.body()) + " (" + a.status() + ")");
    return switch (a.status()) {
      case 400 -> ExitCodes.USAGE;
      case 409, 503 -> ExitCodes.UNAVAILABLE;
      default -> ExitCodes.UNIT_FAILED;
    };
  }

  @Command(name = "reboot", mixinStandardHelpOptions = true, description = {
      "Reboot a sim device: its units stop in reverse order (as on SIGTERM), then it boots again in the same process.",
      "Exit: 0 rebooting; 69 refused (booting, stopping, not run by hostmesh run/demo); 1 no API there; 2 bad --root."})
  static final class Reboot extends Power {
    @Override
    String path() {
      return "/v1/sim/reboot";
    }
  }

  @Command(name = "poweroff", mixinStandardHelpOptions = true, description = {
      "Power a sim device off: its units stop in reverse order and the run ends.",
      "Exit: 0 powering off; 69 refused; 1 no API there; 2 bad --root."})
  static final class PowerOff extends Power {
    @Override
    String path() {
      return "/v1/sim/poweroff";
    }
  }

  @Command(name = "power-cut", mixinStandardHelpOptions = true, description = {
      "Cut a sim device's power: nothing stops, nothing more is written; it boots again on what was on disk.",
      "Exit: 0 cut; 69 refused; 1 no API there; 2 bad --root."})
  static final class PowerCut extends Power {
    @Override
    String path() {
      return "/v1/sim/power-cut";
    }
  }

  @Command(name = "hup", mixinStandardHelpOptions = true, description = {
      "Update the host OS of a sim device: writes the other slot, switches to it and reboots.",
      "Exit: 0 updating; 64 refused input (version, --break); 69 refused (an update under way, no A/B host OS);"
          + " 1 no API there; 2 bad --root."})
  static final class Hup extends ApiCommand {
    @Option(names = "--version", required = true, paramLabel = "X.Y.Z", description = "The new host OS version.")
    String version;

    @Option(names = "--break", paramLabel = "engine|vpn|init",
        description = "Break a part of the new OS, so that the update rolls back.")
    String brk;

    @Override
    int run(ApiClient client) throws IOException {
      JsonObject body = new JsonObject().put("version", version);
      if (brk != null) {
        body.put("break", brk);
      }
      return answer(client.post("/v1/sim/hup", body.encode(), Duration.ofSeconds(30)), spec.qualifiedName(), this);
    }
  }

  /** A change answered 200 with the new state: prints it; otherwise as {@link #answer}. */
  static int changed(ApiClient.Answer a, String name, ApiCommand cmd) {
    if (a.status() == 200) {
      cmd.out().println(new JsonObject(new String(a.body(), java.nio.charset.StandardCharsets.UTF_8)).encode());
      return ExitCodes.OK;
    }
    return answer(a, name, cmd);
  }

  @Command(name = "clock", mixinStandardHelpOptions = true, description = {
      "Set or skew the system clock of a sim device (POST /v1/sim/clock; a ClockSet with source sim).",
      "Exit: 0 set; 64 refused time (400); 69 a real device (409); 1 no API there; 2 bad --root."})
  static final class Clock extends ApiCommand {
    static final class Change {
      @Option(names = "--set", paramLabel = "TIME", description = "An ISO-8601 instant, e.g. 2030-01-01T00:00:00Z.")
      String set;

      @Option(names = "--skew", paramLabel = "SECONDS", description = "Move the clock by this many seconds (negative: back).")
      Long skew;
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    Change change;

    @Override
    int run(ApiClient client) throws IOException {
      JsonObject body = change.set != null ? new JsonObject().put("set", change.set) : new JsonObject().put("skewSeconds", change.skew);
      return changed(client.post("/v1/sim/clock", body.encode(), Duration.ofSeconds(10)), spec.qualifiedName(), this);
    }
  }

  @Command(name = "rtc", mixinStandardHelpOptions = true, description = {
      "Set, remove or detune the RTC of a sim device (POST /v1/sim/rtc).",
      "Exit: 0 changed; 64 refused value (400); 69 a real device (409); 1 no API there; 2 bad --root."})
  static final class RtcCommand extends ApiCommand {
    static final class Change {
      @Option(names = "--set", paramLabel = "TIME", description = "An ISO-8601 instant, e.g. 2023-01-01T00:00:00Z.")
      String set;

      @Option(names = "--remove", description = "The device has no RTC from now on.")
      boolean remove;

      @Option(names = "--drift-ppm", paramLabel = "N", description = "Run fast (positive) or slow by N parts per million; 0: no drift.")
      Double driftPpm;
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    Change change;

    @Override
    int run(ApiClient client) throws IOException {
      JsonObject body = change.set != null ? new JsonObject().put("set", change.set)
          : change.remove ? new JsonObject().put("remove", true) : new JsonObject().put("driftPpm", change.driftPpm);
      return changed(client.post("/v1/sim/rtc", body.encode(), Duration.ofSeconds(10)), spec.qualifiedName(), this);
    }
  }
}
