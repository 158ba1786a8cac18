package io.hostmesh.deploy.bridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.hostmesh.deploy.notify.FailOnRequest;
import io.hostmesh.schema.unit.UnitState;
import io.hostmesh.testing.SimDevice;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A Node.js client (standard library only) reads a unit state change through the TCP bridge and validates it. */
@Timeout(60)
class BridgeNodeIT {
  Vertx vertx;
  SimDevice dev;
  EventBusBridgeHook hook = new EventBusBridgeHook();
  Process node;

  @BeforeEach
  void setUp() {
    vertx = Vertx.vertx();
  }

  @AfterEach
  void tearDown() {
    if (node != null) {
      node.destroyForcibly();
    }
    if (dev != null) {
      hook.stopping(dev.mesh()).await();
      dev.stop().await();
      dev.close();
    }
    vertx.close().await();
  }

  private void boot(JsonObject bridge) {
    dev = SimDevice.builder(vertx).external(FailOnRequest.FAIL).unit(FailOnRequest::new)
        .settings(s -> s.put("bridge", bridge)).build();
    dev.start().await();
    dev.awaitUnit("fail-on-request", UnitState.ACTIVE).await();
  }

  @Test
  void nodeClientReadsAValidStateChange() throws Exception {
    assumeTrue(onPath("node"), "node is not installed: the Node.js bridge client cannot be tested");
    int port = freePort();
    boot(new JsonObject().put("port", port));
    hook.started(dev.mesh()).await();
    Path schemas = Path.of(getClass().getResource("/schemas/index.json").toURI()).getParent();
    node = new ProcessBuilder("node", "clients/node/watch-units.mjs", Integer.toString(port), schemas.toString(), "--once")
        .redirectErrorStream(true).start();
    BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    Thread reader = new Thread(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(node.getInputStream(), StandardCharsets.UTF_8))) {
        for (String l; (l = r.readLine()) != null; ) {
          lines.add(l);
        }
      } catch (IOException ignored) {
        // the process ended
      }
    }, "node-output");
    reader.setDaemon(true);
    reader.start();
    assertEquals("ready", lines.poll(20, TimeUnit.SECONDS), "node client did not register");

    dev.bus().publish(FailOnRequest.FAIL, new FailOnRequest.Reason("over the bridge"));
    String line = lines.poll(20, TimeUnit.SECONDS);
    assertTrue(line != null && line.startsWith("valid io.hostmesh.schema.unit.UnitStateChanged "), "node said: " + line);
    JsonObject body = new JsonObject(line.substring(line.indexOf('{')));
    assertEquals("fail-on-request", body.getString("unit"));
    assertTrue(body.getString("state").equals("DEACTIVATING") || body.getString("state").equals("FAILED"), body.encode());
    assertTrue(node.waitFor(20, TimeUnit.SECONDS));
    assertEquals(0, node.exitValue());
  }

  @Test
  void offWithoutPortAndRefusesNonLoopback() {
    boot(new JsonObject());
    assertTrue(hook.started(dev.mesh()).succeeded());
    hook.stopping(dev.mesh()).await();
    dev.mesh().settings().json().put("bridge", new JsonObject().put("port", 40000).put("host", "0.0.0.0"));
    Throwable refused = hook.started(dev.mesh()).cause();
    assertTrue(refused.getMessage().contains("not a loopback address"), refused.getMessage());
    dev.mesh().settings().json().put("bridge", new JsonObject().put("port", "12; rm -rf /"));
    Throwable bad = hook.started(dev.mesh()).cause();
    assertTrue(bad.getMessage().contains("bridge.port must be a port number"), bad.getMessage());
  }

  static boolean onPath(String program) {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
      if (Files.isExecutable(Path.of(dir, program))) {
        return true;
      }
    }
    return false;
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }
}
