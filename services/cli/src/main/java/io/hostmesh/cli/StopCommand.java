package io.hostmesh.cli;

import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code hostmesh stop}: asks the device found by {@code --root} or {@code --port} to stop as on
 * SIGTERM (units stopped in reverse order, fake-hwclock saves the time), then waits until it has:
 * a journal follow stream opened first ends when the device's API goes away, so nothing polls.
 */
@Command(name = "stop", mixinStandardHelpOptions = true, description = {
    "Stop a running device (found by --root DIR or --port N) as SIGTERM does, and wait until it has stopped.",
    "Exit: 0 stopped; 1 no API there, refused, or still running after --timeout; 2 bad option or --root."})
final class StopCommand extends ApiCommand {
  @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "60",
      description = "Give up waiting after this long (default: ${DEFAULT-VALUE}).")
  int timeout;

  @Override
  int run(ApiClient client) throws IOException {
    if (timeout < 1 || timeout > 3600) {
      err().println("hostmesh stop: --timeout must be 1 to 3600 seconds, not " + timeout);
      return 2;
    }
    String boot = client.boot().bootId();
    CountDownLatch gone = new CountDownLatch(1);
    Thread watcher = new Thread(() -> {
      try {
        client.follow(Map.of("lines", "1"), line -> { }, notice -> { });
      } catch (IOException e) {
        // refused or cut: the device is gone either way
      } finally {
        gone.countDown();
      }
    }, "hostmesh-stop-watch");
    watcher.setDaemon(true);
    watcher.start();
    ApiClient.Answer a = client.post("/v1/stop", Duration.ofSeconds(10));
    if (a.status() != 202) {
      err().println("hostmesh stop: " + ApiClient.errorText(a.body()) + " (" + a.status() + ")");
      return 1;
    }
    try {
      if (gone.await(timeout, TimeUnit.SECONDS)) {
        out().println("stopped the device at " + client.base() + " (boot " + boot + ")");
        return 0;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    err().println("hostmesh stop: asked the device at " + client.base() + " to stop, but it still runs after " + timeout + " s");
    return 1;
  }
}
