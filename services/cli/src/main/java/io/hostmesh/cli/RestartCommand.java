package io.hostmesh.cli;

import io.hostmesh.mesh.UnitResult;
import io.hostmesh.mesh.UnitStatus;
import io.hostmesh.schema.unit.UnitState;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code hostmesh restart UNIT}: like {@code systemctl restart}, waits until the unit has settled. */
@Command(name = "restart", mixinStandardHelpOptions = true, description = {
    "Stop a unit if it runs and start it again (through waiting and activating, as at boot);"
        + " wait until it is up, like 'systemctl restart'.",
    "Exit: 0 up (or skipped); 1 failed, still starting after --timeout, disabled, or no API; 2 bad option; 5 no such unit."})
final class RestartCommand extends ApiCommand {
  @Parameters(paramLabel = "UNIT")
  String unit;

  @Option(names = "--no-block", description = "Do not wait: ask for the restart and return.")
  boolean noBlock;

  @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "90",
      description = "Give up waiting after this long (default: ${DEFAULT-VALUE}, systemd's start timeout).")
  int timeout;

  @Override
  int run(ApiClient client) throws IOException {
    if (timeout < 0 || timeout > 3600) {
      err().println("hostmesh restart: --timeout must be 0 to 3600 seconds, not " + timeout);
      return 2;
    }
    int wait = noBlock ? 0 : timeout;
    ApiClient.Answer a = client.post("/v1/units/" + URLEncoder.encode(unit, StandardCharsets.UTF_8) + "/restart?timeout=" + wait,
        Duration.ofSeconds(wait + 10L));
    return switch (a.status()) {
      case 200 -> settled(a.as(UnitStatus.class));
      case 202 -> {
        if (noBlock) {
          yield 0;
        }
        UnitStatus s = a.as(UnitStatus.class);
        err().println("Job for " + unit + " timed out: still " + s.state().label() + " after " + timeout + " s"
            + (s.detail().isEmpty() ? "" : " (" + s.detail() + ")") + ".");
        yield 1;
      }
      case 404 -> {
        err().println("Unit " + unit + " not found.");
        yield 5;
      }
      default -> {
        err().println("hostmesh restart: " + ApiClient.errorText(a.body()));
        yield 1;
      }
    };
  }

  private int settled(UnitStatus s) {
    if (s.state() != UnitState.FAILED) {
      return 0;
    }
    if (s.result() == UnitResult.START_LIMIT_HIT) {
      err().println("Job for " + unit + " failed because start of the unit was attempted too often (" + s.detail() + ").");
      err().println("See 'hostmesh status " + unit + "' and 'hostmesh logs " + unit + "' for details; to force a start,"
          + " use 'hostmesh reset-failed " + unit + "' followed by 'hostmesh restart " + unit + "'.");
    } else {
      err().println("Job for " + unit + " failed (" + s.result().label() + ": " + s.detail() + ").");
      err().println("See 'hostmesh status " + unit + "' and 'hostmesh logs " + unit + "' for details.");
    }
    return 1;
  }
}
