package io.hostmesh.deploy.support;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/** {@code hostmesh} in a child JVM on this module's class path (no test classes), its output kept line by line. */
public final class ChildJvm implements AutoCloseable {
  private final Process process;
  private final List<String> lines = new CopyOnWriteArrayList<>();

  private ChildJvm(Process p) {
    this.process = p;
    Thread t = new Thread(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
        for (String l; (l = r.readLine()) != null; ) {
          lines.add(l);
        }
      } catch (IOException ignored) {
        // the process ended
      }
    }, "child-output");
    t.setDaemon(true);
    t.start();
  }

  /** The run-time class path: surefire's, without test classes. */
  public static String classPath() {
    return Arrays.stream(System.getProperty("java.class.path").split(java.io.File.pathSeparator))
        .filter(e -> !e.endsWith("test-classes"))
        .collect(Collectors.joining(java.io.File.pathSeparator));
  }

  /** Starts {@code java [jvmArgs] -cp CP io.hostmesh.cli.Main args}. */
  public static ChildJvm hostmesh(List<String> jvmArgs, Map<String, String> env, String... args) throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(jvmArgs);
    cmd.addAll(List.of("-cp", classPath(), "io.hostmesh.cli.Main"));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.environment().putAll(env);
    return new ChildJvm(pb.start());
  }

  public Process process() {
    return process;
  }

  public List<String> lines() {
    return List.copyOf(lines);
  }

  /** The first output line that matches, polling until {@code limit}. */
  public String await(Predicate<String> match, Duration limit) throws InterruptedException {
    long deadline = System.nanoTime() + limit.toNanos();
    while (System.nanoTime() < deadline) {
      for (String l : lines) {
        if (match.test(l)) {
          return l;
        }
      }
      if (!process.isAlive() && lines.stream().noneMatch(match)) {
        break;
      }
      synchronized (this) {
        wait(20);
      }
    }
    throw new AssertionError("no matching line; output:\n" + String.join("\n", lines));
  }

  /** Waits for the exit (after SIGTERM, say) and returns the code. */
  public int waitFor(Duration limit) throws InterruptedException {
    if (!process.waitFor(limit.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("did not exit within " + limit + "; output:\n" + String.join("\n", lines));
    }
    return process.exitValue();
  }

  @Override
  public void close() {
    process.destroyForcibly();
  }
}
