package io.hostmesh.api.shell;

import io.hostmesh.bus.Bus;
import io.hostmesh.schema.hostos.HostOsTopics;
import io.hostmesh.schema.hostos.PowerRequest;
import io.hostmesh.schema.hostos.RebootAnswer;
import io.hostmesh.schema.hostos.RebootRequest;
import io.vertx.core.Future;
import java.util.List;

/**
 * {@code reboot} and {@code poweroff} (and {@code systemctl reboot|poweroff}) of a sim device: the
 * sim lifecycle's requests, as {@code POST /v1/sim/reboot} and {@code /v1/sim/poweroff} send
 * them. Accepted: nothing printed, exit 0, and the session ends as the device goes down.
 */
final class Power {
  private final Bus bus;

  Power(Bus bus) {
    this.bus = bus;
  }

  Future<ShellOutput> run(String command, List<String> args) {
    for (String a : args) {
      if (!a.startsWith("-")) {
        return ShellOutput.error(1, command + ": too many arguments.").now();
      }
    }
    return request(command, command + " over ssh");
  }

  Future<ShellOutput> request(String action, String reason) {
    Future<RebootAnswer> answer = action.equals("reboot")
        ? bus.request(HostOsTopics.REBOOT, new RebootRequest("shell", reason, false))
        : bus.request(HostOsTopics.POWER, new PowerRequest("shell", false, reason));
    return answer.map(a -> a.accepted() ? ShellOutput.OK : ShellOutput.error(1, "Failed to " + action + ": " + a.message()))
        .otherwise(e -> ShellOutput.error(1, "Failed to " + action + ": " + (Bus.isNoHandler(e)
            ? "not a sim device run by the sim lifecycle (hostmesh run --profile sim or hostmesh demo)" : e.getMessage())));
  }
}
