package io.hostmesh.deploy.bridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The Node.js bridge client pointed at the wrong place: one line naming the address and the fix,
 * and an exit code (64 usage, 66 no schemas, 69 nothing listening, 76 not the bridge, e.g. the
 * HTTP API's port) — never a Node stack trace.
 */
@Timeout(60)
class NodeClientErrorsIT {
  private Vertx vertx;
  private Path schemas;

  @BeforeEach
  void setUp() throws Exception {
    assumeTrue(BridgeNodeIT.onPath("node"), "node is not installed: the Node.js bridge client cannot be tested");
    vertx = Vertx.vertx();
    schemas = Path.of(getClass().getResource("/schemas/index.json").toURI()).getParent();
  }

  @AfterEach
  void tearDown() {
    if (vertx != null) {
      vertx.close().await();
    }
  }

  @Test
  void aClosedPortIsNamed() throws Exception {
    int port = BridgeNodeIT.freePort();
    Result r = node(Integer.toString(port), schemas.toString());
    assertEquals(69, r.code, r.err);
    assertEquals("watch-units: no hostmesh bridge on 127.0.0.1:" + port + " (connection refused): is the mesh running,"
        + " with bridge.port set in hostmesh.json?", r.line());
  }

  @Test
  void anHttpPortIsNotTheBridge() throws Exception {
    HttpServer api = vertx.createHttpServer().requestHandler(rq -> rq.response().end("{}")).listen(0, "127.0.0.1").await();
    Result r = node(Integer.toString(api.actualPort()), schemas.toString());
    assertEquals(76, r.code, r.err);
    String line = r.line();
    // an HTTP server waits for a request line the bridge frame never ends, so the client gives up waiting
    assertTrue(line.startsWith("watch-units: 127.0.0.1:" + api.actualPort() + " ") && line.contains("bridge.port of hostmesh.json"),
        line);
  }

  @Test
  void badUsageAndMissingSchemas() throws Exception {
    Result port = node("99999", schemas.toString());
    assertEquals(64, port.code, port.err);
    assertEquals("watch-units: usage: node watch-units.mjs PORT SCHEMA_DIR [--once]  (PORT: bridge.port of hostmesh.json,"
        + " 1-65535)", port.line());
    Result none = node("7000", "/nonexistent");
    assertEquals(66, none.code, none.err);
    assertEquals("watch-units: no /nonexistent/index.json: unpack the schemas first (unzip -o -q hostmesh.jar 'schemas/*'"
        + " -d DIR; SCHEMA_DIR is DIR/schemas)", none.line());
  }

  private record Result(int code, String out, String err) {
    String line() {
      assertEquals(1, err.lines().count(), "one line, no stack trace:\n" + err);
      return err.strip();
    }
  }

  private static Result node(String... args) throws IOException, InterruptedException {
    String[] cmd = new String[args.length + 2];
    cmd[0] = "node";
    cmd[1] = "clients/node/watch-units.mjs";
    System.arraycopy(args, 0, cmd, 2, args.length);
    Process p = new ProcessBuilder(cmd).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
    byte[] out = p.getInputStream().readAllBytes();
    byte[] err = p.getErrorStream().readAllBytes();
    if (!p.waitFor(30, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("node did not end");
    }
    return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8), new String(err, StandardCharsets.UTF_8));
  }
}
