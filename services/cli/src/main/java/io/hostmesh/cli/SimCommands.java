package io.hostmesh.cli;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.time.Duration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code hostmesh sim reboot|poweroff|power-cut|hup}: the life of a sim device run by
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
}
