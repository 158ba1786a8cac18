package io.hostmesh.platform;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * {@link Processes} on the local machine. Programs whose base name is in {@code recorded} are
 * not run: the call reports them to {@code onRecorded} and answers exit code 0 (sim profile).
 */
public final class LocalProcesses implements Processes {
  private final Vertx vertx;
  private final Set<String> recorded;
  private final Consumer<List<String>> onRecorded;

  public LocalProcesses(Vertx vertx, Set<String> recorded, Consumer<List<String>> onRecorded) {
    this.vertx = vertx;
    this.recorded = Set.copyOf(recorded);
    this.onRecorded = onRecorded;
  }

  @Override
  public Future<ProcessResult> run(List<String> argv, Duration timeout) {
    List<String> cmd = List.copyOf(argv);
    if (cmd.isEmpty()) {
      return Future.failedFuture(new IllegalArgumentException("empty command"));
    }
    if (recorded.contains(Path.of(cmd.get(0)).getFileName().toString())) {
      onRecorded.accept(cmd);
      return Future.succeededFuture(new ProcessResult(cmd, 0, "", "", true));
    }
    return vertx.executeBlocking(() -> runBlocking(cmd, timeout), false);
  }

  private static ProcessResult runBlocking(List<String> cmd, Duration timeout) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(cmd).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
    CompletableFuture<String> out = drain(p.getInputStream());
    CompletableFuture<String> err = drain(p.getErrorStream());
    if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      p.destroyForcibly();
      p.waitFor(5, TimeUnit.SECONDS);
      return new ProcessResult(cmd, 124, out.getNow(""), "timed out after " + timeout.toMillis() + " ms\n" + err.getNow(""), false);
    }
    return new ProcessResult(cmd, p.exitValue(), out.join(), err.join(), false);
  }

  private static CompletableFuture<String> drain(InputStream in) {
    return CompletableFuture.supplyAsync(() -> {
      try (in) {
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
      } catch (IOException e) {
        return "";
      }
    });
  }

  @Override
  public Future<Process> spawn(List<String> argv, Map<String, String> environment) {
    return vertx.executeBlocking(() -> {
      ProcessBuilder pb = new ProcessBuilder(List.copyOf(argv));
      pb.environment().putAll(environment);
      return pb.start();
    }, false);
  }

  @Override
  public boolean available(String program) {
    return onPath(program);
  }

  /** Whether a program is an executable path, or on the PATH (plus /usr/sbin and /sbin). */
  public static boolean onPath(String program) {
    if (program.contains("/")) {
      return Files.isExecutable(Path.of(program));
    }
    String path = System.getenv().getOrDefault("PATH", "/usr/sbin:/usr/bin:/sbin:/bin");
    for (String dir : (path + ":/usr/sbin:/sbin").split(":")) {
      if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, program))) {
        return true;
      }
    }
    return false;
  }
}
