package io.hostmesh.cli;

import io.hostmesh.mesh.UnitStatus;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code hostmesh reset-failed [UNIT...]}: like {@code systemctl reset-failed}. */
@Command(name = "reset-failed", mixinStandardHelpOptions = true, description = {
    "Forget the units' start-limit history and restart count; a failed unit becomes inactive and stays"
        + " down until 'hostmesh restart'. Without UNIT: every unit.",
    "Exit: 0; 1 no API; 5 no such unit."})
final class ResetFailedCommand extends ApiCommand {
  @Parameters(arity = "0..*", paramLabel = "UNIT")
  List<String> units = new ArrayList<>();

  @Override
  int run(ApiClient client) throws IOException {
    List<String> names = units.isEmpty() ? client.units().stream().map(UnitStatus::name).toList() : units;
    int code = 0;
    for (String name : names) {
      ApiClient.Answer a = client.post("/v1/units/" + URLEncoder.encode(name, StandardCharsets.UTF_8) + "/reset-failed",
          Duration.ofSeconds(10));
      if (a.status() == 404) {
        err().println("Unit " + name + " not found.");
        code = 5;
      } else if (a.status() != 200) {
        err().println("hostmesh reset-failed: " + name + ": " + ApiClient.errorText(a.body()));
        code = Math.max(code, 1);
      }
    }
    return code;
  }
}
