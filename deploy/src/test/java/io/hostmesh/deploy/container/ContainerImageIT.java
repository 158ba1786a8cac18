package io.hostmesh.deploy.container;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Jib image (built by {@code mvn -pl deploy -am package -Pimage}) unpacked into an OCI bundle
 * and run with runc in its own network namespace: /health and /v1/units answer (reached with
 * nsenter into that namespace), SIGTERM stops the mesh, and fake-hwclock's save is on the
 * volume. Skipped, with the reason, when runc, nsenter, curl or the image tarball is missing.
 */
@Timeout(300)
class ContainerImageIT {
  private static final Duration LIMIT = Duration.ofSeconds(90);
  private static final Path IMAGE = Path.of(System.getProperty("hostmesh.image.tar", "target/hostmesh-image.tar"));

  @TempDir Path work;

  @Test
  void imageRunsUnderRuncAndSavesTheClockOnSigterm() throws Exception {
    assumeTrue(Files.isRegularFile(IMAGE), "no image tarball at " + IMAGE.toAbsolutePath()
        + ": build it first with `mvn -pl deploy -am package -Pimage -DskipTests`");
    String runc = program("runc");
    assumeTrue(runc != null, "runc is not installed (Debian package runc)");
    String nsenter = program("nsenter");
    String curl = program("curl");
    assumeTrue(nsenter != null && curl != null, "nsenter (util-linux) and curl are needed to reach the container's network");
    assumeTrue("root".equals(System.getProperty("user.name")), "runc needs root");

    Path bundle = work.resolve("bundle");
    Path rootfs = bundle.resolve("rootfs");
    Path volume = work.resolve("device");
    Files.createDirectories(rootfs);
    Files.createDirectories(volume);
    JsonObject imageConfig = unpack(IMAGE, work.resolve("image"), rootfs);
    run(List.of(runc, "spec", "--bundle", bundle.toString()));
    Path configFile = bundle.resolve("config.json");
    Files.writeString(configFile, runtimeConfig(new JsonObject(Files.readString(configFile)), imageConfig, volume).encodePrettily());

    String id = "hostmesh-it-" + UUID.randomUUID().toString().substring(0, 8);
    Path log = work.resolve("container.log");
    Process container = new ProcessBuilder(runc, "run", "--bundle", bundle.toString(), id)
        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    try {
      long pid = awaitPid(runc, id, container, log);
      // /health answers 200 DEGRADED while the first config.json is still being applied: wait for UP.
      JsonObject health = awaitHealthUp(nsenter, curl, pid, container, log);
      assertEquals("UP", health.getString("status"), health.encode() + "\n" + Files.readString(log));
      JsonArray units = new JsonArray(http(nsenter, curl, pid, "/v1/units"));
      assertTrue(units.stream().map(u -> ((JsonObject) u).getString("name")).anyMatch("fake-hwclock"::equals), units.encode());

      run(List.of(runc, "kill", id, "TERM"));
      assertTrue(container.waitFor(LIMIT.toSeconds(), TimeUnit.SECONDS), "container did not stop on SIGTERM:\n" + Files.readString(log));
      Path saved = volume.resolve("etc/fake-hwclock/fake-hwclock.data");
      assertTrue(Files.exists(saved), "no fake-hwclock save on the volume; log:\n" + Files.readString(log));
      assertTrue(Files.readString(saved).trim().matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d"), Files.readString(saved));
      assertTrue(Files.readString(log).contains("fake-hwclock"), Files.readString(log));
    } finally {
      container.destroyForcibly();
      new ProcessBuilder(runc, "delete", "--force", id).redirectErrorStream(true).start().waitFor(30, TimeUnit.SECONDS);
    }
  }

  /** Extracts the layers of a Jib (docker-format) tarball into {@code rootfs}; returns the image config. */
  static JsonObject unpack(Path tar, Path dir, Path rootfs) throws IOException, InterruptedException {
    Files.createDirectories(dir);
    run(List.of("tar", "-xf", tar.toString(), "-C", dir.toString()));
    JsonObject manifest = new JsonArray(Files.readString(dir.resolve("manifest.json"))).getJsonObject(0);
    for (Object layer : manifest.getJsonArray("Layers")) {
      run(List.of("tar", "-xzf", dir.resolve((String) layer).toString(), "-C", rootfs.toString()));
    }
    return new JsonObject(Files.readString(dir.resolve(manifest.getString("Config")))).getJsonObject("config");
  }

  /** runc's default spec with the image's command, a writable root and the volume on /device. */
  static JsonObject runtimeConfig(JsonObject spec, JsonObject image, Path volume) {
    JsonArray args = new JsonArray();
    image.getJsonArray("Entrypoint", new JsonArray()).forEach(args::add);
    image.getJsonArray("Cmd", new JsonArray()).forEach(args::add);
    JsonObject process = spec.getJsonObject("process");
    process.put("terminal", false).put("args", args).put("cwd", image.getString("WorkingDir", "/"));
    if (image.getJsonArray("Env") != null) {
      process.put("env", image.getJsonArray("Env"));
    }
    spec.getJsonObject("root").put("readonly", false);
    spec.put("hostname", "hostmesh");
    spec.getJsonArray("mounts").add(new JsonObject().put("destination", "/device").put("type", "bind")
        .put("source", volume.toAbsolutePath().toString()).put("options", new JsonArray().add("rbind").add("rw")));
    return spec;
  }

  private static long awaitPid(String runc, String id, Process container, Path log) throws Exception {
    long deadline = System.nanoTime() + LIMIT.toNanos();
    while (System.nanoTime() < deadline && container.isAlive()) {
      Process p = new ProcessBuilder(runc, "state", id).redirectErrorStream(false).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (p.waitFor() == 0) {
        JsonObject state = new JsonObject(out);
        if ("running".equals(state.getString("status")) && state.getLong("pid", 0L) > 0) {
          return state.getLong("pid");
        }
      }
      pause();
    }
    throw new AssertionError("container not running; log:\n" + Files.readString(log));
  }

  /** Polls /health until it says UP (or the deadline passes: then the last answer, for the assertion). */
  private static JsonObject awaitHealthUp(String nsenter, String curl, long pid, Process container, Path log) throws Exception {
    long deadline = System.nanoTime() + LIMIT.toNanos();
    JsonObject last = null;
    while (System.nanoTime() < deadline && container.isAlive()) {
      Process p = curlIn(nsenter, curl, pid, "/health");
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (p.waitFor() == 0) {
        last = new JsonObject(out);
        if ("UP".equals(last.getString("status"))) {
          return last;
        }
      }
      pause();
    }
    if (last != null) {
      return last;
    }
    throw new AssertionError("no answer on /health; log:\n" + Files.readString(log));
  }

  private static String http(String nsenter, String curl, long pid, String path) throws Exception {
    Process p = curlIn(nsenter, curl, pid, path);
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, p.waitFor(), "GET " + path + " failed: " + out);
    return out;
  }

  /** curl on the container's loopback, inside its network namespace (the host network is never touched). */
  private static Process curlIn(String nsenter, String curl, long pid, String path) throws IOException {
    return new ProcessBuilder(nsenter, "--target", Long.toString(pid), "--net", curl, "-sf", "--max-time", "5",
        "http://127.0.0.1:" + ContainerMain.PORT + path).redirectErrorStream(false).start();
  }

  private static void pause() throws InterruptedException {
    Object o = new Object();
    synchronized (o) {
      o.wait(200);
    }
  }

  static void run(List<String> cmd) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(new ArrayList<>(cmd)).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IOException(String.join(" ", cmd) + " failed: " + out);
    }
  }

  static String program(String name) {
    for (String dir : (System.getenv().getOrDefault("PATH", "") + ":/usr/sbin:/sbin").split(":")) {
      if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, name))) {
        return Path.of(dir, name).toString();
      }
    }
    return null;
  }
}
