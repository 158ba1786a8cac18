package io.hostmesh.deploy.systemd;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * hostmesh on a {@link BootedSystemd} the way README.md's device section puts it there: what the
 * README's commands take from a checkout (README.md, the jar, deploy/systemd) bound read-only at
 * {@link #SRC}, the device's own files, and the README's shell lines run from {@link #SRC}.
 */
final class HostmeshDevice {
  static final Path JAR = Path.of("target/hostmesh.jar").toAbsolutePath();
  static final Path README = Path.of("../README.md").toAbsolutePath();
  /** Where the staged checkout is bound inside the container. */
  static final String SRC = "/root/hostmesh";
  static final String API = "http://127.0.0.1:48400";

  private HostmeshDevice() {}

  /** Skips (or under CI fails) without the shaded jar. */
  static void requireJar() {
    BootedSystemd.require(Files.isRegularFile(JAR), "no " + JAR + ": run `mvn -pl deploy -am package -DskipTests` first (CI does)");
  }

  /** Stages README.md, the jar, deploy/systemd and {@code extra} (name → file) under {@code src}; bind it at {@link #SRC}. */
  static String stage(Path src, List<Path> extra) throws IOException {
    Files.createDirectories(src.resolve("deploy/target"));
    Files.createDirectories(src.resolve("deploy/systemd"));
    Files.createDirectories(src.resolve("test"));
    Files.copy(README, src.resolve("README.md"));
    Files.copy(JAR, src.resolve("deploy/target/hostmesh.jar"));
    try (Stream<Path> s = Files.list(Path.of("systemd").toAbsolutePath())) {
      for (Path f : (Iterable<Path>) s::iterator) {
        Files.copy(f, src.resolve("deploy/systemd").resolve(f.getFileName()), StandardCopyOption.COPY_ATTRIBUTES);
      }
    }
    for (Path e : extra) {
      Files.move(e, src.resolve("test").resolve(e.getFileName()));
    }
    return src + ":" + SRC;
  }

  /** The shell lines of README.md's device block, without `mvn` (the test brings the built jar) and `systemctl status`. */
  static List<String> readmeDeviceSteps() throws IOException {
    String readme = Files.readString(README);
    int section = readme.indexOf("### On a device (systemd)");
    int open = readme.indexOf("```sh\n", section);
    int close = readme.indexOf("```", open + 6);
    assertTrue(section >= 0 && open > section && close > open, "README.md has no device block");
    List<String> steps = new ArrayList<>();
    for (String line : readme.substring(open + 6, close).split("\n")) {
      String cmd = line.replaceAll("\\s+#.*$", "").strip();
      if (!cmd.isEmpty() && !cmd.startsWith("mvn ") && !cmd.startsWith("systemctl status")) {
        steps.add(cmd);
      }
    }
    return steps;
  }

  /** What the README says the device needs: Java 17 as /usr/bin/java, config.json, /etc/timestamp; plus mesh settings. */
  static void prepare(BootedSystemd ct, JsonObject config, String timestamp, JsonObject settings) throws IOException, InterruptedException {
    ct.sh("ln -sf " + ct.javaHome.resolve("bin/java") + " /usr/bin/java && java -version");
    write(ct, "/mnt/boot/config.json", config.encodePrettily());
    write(ct, "/etc/timestamp", timestamp + "\n");
    write(ct, "/etc/hostmesh/hostmesh.json", settings.encodePrettily());
  }

  /** Runs the README's install lines, all but the one that starts the service (returned). */
  static String install(BootedSystemd ct) throws IOException, InterruptedException {
    List<String> steps = readmeDeviceSteps();
    String start = steps.stream().filter(s -> s.contains("enable --now hostmesh")).findFirst()
        .orElseThrow(() -> new AssertionError("README device steps start nothing: " + steps));
    for (String step : steps) {
      if (!step.equals(start)) {
        ct.sh("cd " + SRC + " && " + step);
      }
    }
    return "cd " + SRC + " && " + start;
  }

  /**
   * Replaces a file of the container atomically (config-watcher must never see half a
   * config.json): a temporary file in the same folder, then a rename, through /proc/PID1/root.
   */
  static void write(BootedSystemd ct, String path, String text) throws IOException {
    Path target = ct.hostPath(path);
    Files.createDirectories(target.getParent());
    Path tmp = Files.createTempFile(target.getParent(), ".hostmesh-it", ".tmp");
    Files.writeString(tmp, text);
    Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }
}
