package io.hostmesh.deploy.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hostmesh.platform.Poll;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code hostmesh run --profile sim} boots the device through the sim lifecycle: it reboots in the same process. */
@Timeout(120)
class SimRunTest {
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  @TempDir
  Path tmp;

  private Vertx vertx;

  @org.junit.jupiter.api.BeforeEach
  void vertx() {
    vertx = Vertx.vertx();
  }

  @org.junit.jupiter.api.AfterEach
  void close() {
    vertx.close().await();
  }

  @Test
  void rebootAndPowerCutBootTheSameDeviceAgainOnTheSamePortAndPowerOffEndsTheRun() throws Exception {
    Path dir = tmp.resolve("dev");
    assertEquals(0, Cli.run("sim", "init", dir.toString(), "--port", "0", "--ssh-port", "0").code());
    CompletableFuture<Cli.Result> run = CompletableFuture.supplyAsync(() -> Cli.run("run", "--root", dir.toString()));
    Path portFile = dir.resolve("run/hostmesh/api.port");
    Poll.until(vertx, Duration.ofSeconds(30), Duration.ofMillis(50), "the API port file", () -> run.isDone()
        || Files.exists(portFile) && !read(portFile).isBlank()).await();
    assertFalse(run.isDone(), () -> "the run ended: " + run.join().code() + run.join().out() + run.join().err());
    int port = Integer.parseInt(read(portFile).trim());
    String boot1 = bootId(port);

    HttpResponse<String> r = post(port, "/v1/sim/reboot", "{\"reason\": \"test\"}");
    assertEquals(202, r.statusCode(), r.body());
    assertTrue(new JsonObject(r.body()).getBoolean("accepted"), r.body());
    String boot2 = awaitNewBoot(vertx, port, boot1);
    // /run is emptied at every boot (a tmpfs); the new boot writes the port file once its API listens
    Poll.until(vertx, Duration.ofSeconds(30), Duration.ofMillis(20), "the new boot's port file",
        () -> !read(portFile).isBlank()).await();
    assertEquals(port, Integer.parseInt(read(portFile).trim()), "the same port at every boot");

    assertEquals(400, post(port, "/v1/sim/power-cut", "{\"why\": 1}").statusCode());
    assertEquals(202, post(port, "/v1/sim/power-cut", "").statusCode());
    String boot3 = awaitNewBoot(vertx, port, boot2);
    assertNotEquals(boot1, boot3);

    assertEquals(202, post(port, "/v1/sim/poweroff", "").statusCode());
    Cli.Result done = run.get(60, TimeUnit.SECONDS);
    assertEquals(0, done.code(), done.toString());
    assertFalse(Files.exists(portFile), "the port file goes with the device");
    assertTrue(done.out().contains("boot " + boot2 + " (the device booted again)"), done.out());
    assertTrue(done.out().contains("boot 1: reboot asked by api: test"), done.err());
    assertTrue(done.out().contains("boot 2: power cut asked by api"), done.err());
    assertTrue(done.out().contains("boot 3: power off asked by api"), done.err());
    // the device lock was held across boots and is free now: the device runs again
    Cli.Result again = Cli.run("run", "--root", dir.toString(), "--exit-when-ready", "--timeout", "60");
    assertTrue(again.code() == 0 || again.code() == 1, again.toString());
    assertTrue(again.out().contains("units settled"), again.out());
  }

  @Test
  void theSimCommandsRebootAndUpdateAndStopPowersTheDeviceOff() throws Exception {
    Path dir = tmp.resolve("dev2");
    assertEquals(0, Cli.run("sim", "init", dir.toString(), "--port", "0", "--ssh-port", "0").code());
    CompletableFuture<Cli.Result> run = CompletableFuture.supplyAsync(() -> Cli.run("run", "--root", dir.toString()));
    Path portFile = dir.resolve("run/hostmesh/api.port");
    Poll.until(vertx, Duration.ofSeconds(30), Duration.ofMillis(50), "the API port file", () -> run.isDone()
        || Files.exists(portFile) && !read(portFile).isBlank()).await();
    assertFalse(run.isDone(), () -> "the run ended: " + run.join().code() + run.join().out() + run.join().err());
    int port = Integer.parseInt(read(portFile).trim());
    String boot1 = bootId(port);
    Cli.Result reboot = Cli.run("sim", "reboot", "--port", Integer.toString(port));
    assertEquals(0, reboot.code(), reboot.toString());
    assertTrue(reboot.out().startsWith("rebooting (api reboot)"), reboot.out());
    String boot2 = awaitNewBoot(vertx, port, boot1);
    // sim init laid out the A/B host OS: an update switches slots and reboots
    Cli.Result bad = Cli.run("sim", "hup", "--version", "2.x", "--root", dir.toString());
    assertEquals(64, bad.code(), bad.toString());
    assertTrue(bad.err().startsWith("hostmesh sim hup: version: "), bad.err());
    Cli.Result hup = Cli.run("sim", "hup", "--version", "2.89.0", "--root", dir.toString());
    assertEquals(0, hup.code(), hup.toString());
    awaitNewBoot(vertx, port, boot2);
    Cli.Result stop = Cli.run("stop", "--port", Integer.toString(port));
    assertEquals(0, stop.code(), stop.toString());
    Cli.Result done = run.get(60, TimeUnit.SECONDS);
    assertEquals(0, done.code(), done.toString());
    assertTrue(done.out().contains("boot 3: power off"), done.out());
    Cli.Result gone = Cli.run("sim", "power-cut", "--port", Integer.toString(port));
    assertEquals(1, gone.code(), gone.toString());
  }

  private static String awaitNewBoot(Vertx vertx, int port, String previous) {
    AtomicReference<String> id = new AtomicReference<>();
    Poll.until(vertx, Duration.ofSeconds(30), Duration.ofMillis(50), "a new boot", () -> {
      try {
        String now = bootId(port);
        id.set(now);
        return !now.equals(previous);
      } catch (Exception down) {
        return false; // between boots
      }
    }).await();
    return id.get();
  }

  private static String bootId(int port) throws Exception {
    HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/boot"))
        .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
    return new JsonObject(r.body()).getString("bootId");
  }

  static HttpResponse<String> post(int port, String path, String body) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(10))
        .header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static String read(Path p) {
    try {
      return Files.readString(p);
    } catch (java.io.IOException e) {
      return "";
    }
  }
}
