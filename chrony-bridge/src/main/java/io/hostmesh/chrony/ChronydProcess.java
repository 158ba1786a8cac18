package io.hostmesh.chrony;

import io.hostmesh.platform.Processes;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * One running {@code chronyd -d}: its output forwarded line by line, its exit observed, and a
 * stop that waits until the process is gone (the JDK reaps it, so no zombie is left). Should the
 * unit not stop it, the device's platform ends it when the device stops (no static registry: a
 * device's daemons belong to that device).
 *
 * <p>Threading: {@code onLine} and the {@link #exit()} future run on the owner's context.
 */
final class ChronydProcess {
  /** chronyd -d prefixes each line with an ISO timestamp; the unit log has its own. */
  private static final Pattern TIMESTAMP = Pattern.compile("^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ ");

  private final Process process;
  private final Future<Integer> exit;

  private ChronydProcess(Process process, Context context, Consumer<String> onLine) {
    this.process = process;
    drain(process.getInputStream(), context, onLine, "out");
    drain(process.getErrorStream(), context, onLine, "err");
    Promise<Integer> exited = Promise.promise();
    process.onExit().whenComplete((p, e) -> {
      context.runOnContext(v -> exited.complete(process.exitValue()));
    });
    this.exit = exited.future();
  }

  /** Starts {@code argv}; {@code onLine} gets every output line without chronyd's timestamp. */
  static Future<ChronydProcess> start(Processes processes, List<String> argv, Context context, Consumer<String> onLine) {
    return processes.spawn(argv, Map.of()).map(p -> new ChronydProcess(p, context, onLine));
  }

  long pid() {
    return process.pid();
  }

  boolean alive() {
    return process.isAlive();
  }

  /** Completes with the exit status once the process has ended and been reaped. */
  Future<Integer> exit() {
    return exit;
  }

  /**
   * SIGTERM, then SIGKILL if it is still there after {@code grace}; completes when it has
   * exited. Waits in real time on purpose: a process does not follow virtual time.
   */
  Future<Integer> stop(Duration grace) {
    if (!process.isAlive()) {
      return exit;
    }
    process.destroy();
    process.onExit().orTimeout(grace.toMillis(), TimeUnit.MILLISECONDS)
        .whenComplete((p, e) -> {
          if (e != null) {
            process.destroyForcibly();
          }
        });
    return exit;
  }

  private static void drain(InputStream in, Context context, Consumer<String> onLine, String name) {
    Thread t = new Thread(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
        String line;
        while ((line = r.readLine()) != null) {
          String text = TIMESTAMP.matcher(line).replaceFirst("");
          context.runOnContext(v -> onLine.accept(text));
        }
      } catch (IOException e) {
        // the pipe closed with the process: nothing more to forward
      }
    }, "chronyd-" + name);
    t.setDaemon(true);
    t.start();
  }
}
