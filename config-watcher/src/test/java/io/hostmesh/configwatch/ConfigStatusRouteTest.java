package io.hostmesh.configwatch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hostmesh.api.HttpApi;
import io.hostmesh.schema.config.ConfigStatus;
import io.hostmesh.schema.config.ConfigTopics;
import io.hostmesh.testing.SimDevice;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** GET /v1/config/status and /health through the real HttpApi, and config.json that is not a regular file. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ConfigStatusRouteTest {
  private SimDevice dev;
  private WebClient web;
  private HttpApi api;

  @AfterEach
  void close() {
    if (web != null) {
      web.close();
    }
    if (dev != null) {
      dev.stop().await();
      dev.close();
    }
  }

  private void boot(Vertx vertx, SimDevice.Builder b) {
    dev = b.build();
    dev.start().await();
    api = new HttpApi(dev.mesh(), "127.0.0.1", 0);
    vertx.deployVerticle(api).await();
    web = WebClient.create(vertx);
  }

  private JsonObject get(String path, int status) {
    var r = web.getAbs("http://127.0.0.1:" + api.port() + path).send().await();
    assertEquals(status, r.statusCode(), r.bodyAsString());
    return r.bodyAsJsonObject();
  }

  private ConfigStatus written(String json) {
    String digest = ConfigRoot.write(dev, json);
    return dev.await(ConfigTopics.STATUS, s -> s.digest().equals(digest)).await();
  }

  @Test
  void everyRefusedKeyIsListedWithTheUnitsItHoldsBackAndHealthIsDegradedUntilFixed(Vertx vertx) {
    boot(vertx, ConfigRoot.device(vertx).file(ConfigRoot.CONFIG, ConfigWatcherTest.BASE));
    dev.await(ConfigTopics.STATUS, ConfigStatus::inForce).await();
    dev.mesh().whenSettled().await();
    assertEquals("UP", get("/health", 200).getString("status"));

    written(ConfigWatcherTest.BASE.replace("\"uuid\"",
        "\"hostname\":\"a;reboot\",\"ntpServers\":[\"time.example.com\"],\"os\":{\"sshKeys\":7},\"x\":{},\"uuid\"")
        .replace(",\"os\":{\"sshKeys\":[\"ssh-ed25519 AAAA test\"]}", ""));
    JsonObject status = get("/v1/config/status", 200);
    assertEquals(true, status.getBoolean("inForce"));
    JsonArray refused = status.getJsonArray("refused");
    assertEquals(3, refused.size(), status.encodePrettily());
    assertEquals(new JsonObject().put("pointer", "/hostname")
        .put("reason", "must be an RFC 1123 host name (letters, digits, inner hyphens, dots), found \"a;reboot\"")
        .put("projections", new JsonArray().add("hostname")).put("units", new JsonArray().add("hostname")), refused.getJsonObject(0));
    assertEquals(new JsonObject().put("pointer", "/ntpServers").put("reason", "must be a string, found an array")
        .put("projections", new JsonArray().add("ntp")).put("units", new JsonArray()), refused.getJsonObject(1),
        "no unit of this mesh requires the ntp projection");
    assertEquals(new JsonObject().put("pointer", "/os/sshKeys").put("reason", "must be an array of strings, found a number")
        .put("projections", new JsonArray().add("ssh-keys").add("development"))
        .put("units", new JsonArray().add("development-features")), refused.getJsonObject(2));

    JsonObject health = get("/health", 200);
    assertEquals("DEGRADED", health.getString("status"));
    assertEquals(new JsonArray().add("3 config.json keys refused, first /hostname: must be an RFC 1123 host name (letters,"
        + " digits, inner hyphens, dots), found \"a;reboot\" (GET /v1/config/status lists every one)"),
        health.getJsonArray("reasons"));

    written(ConfigWatcherTest.BASE);
    assertEquals(new JsonArray(), get("/v1/config/status", 200).getJsonArray("refused"));
    assertEquals("UP", get("/health", 200).getString("status"));
  }

  @Test
  void withoutAnyConfigInForceTheMeshIsDegraded(Vertx vertx) {
    boot(vertx, ConfigRoot.device(vertx));
    dev.await(ConfigTopics.STATUS, s -> s.checks() > 0).await();
    JsonObject health = get("/health", 200);
    assertEquals("DEGRADED", health.getString("status"));
    assertEquals(new JsonArray().add("no config.json has been in force yet: (document): file not found"),
        health.getJsonArray("reasons"));
    JsonObject status = get("/v1/config/status", 200);
    assertEquals(false, status.getBoolean("inForce"));
    assertEquals("", status.getJsonArray("refused").getJsonObject(0).getString("pointer"));
    assertEquals(ConfigTopics.PROJECTIONS.size(), status.getJsonArray("refused").getJsonObject(0).getJsonArray("projections").size());
  }

  @Test
  void aFifoOrSocketInPlaceOfConfigJsonIsRefusedUnopenedAndTheMeshStaysResponsive(Vertx vertx) throws Exception {
    boot(vertx, ConfigRoot.device(vertx).file(ConfigRoot.CONFIG, ConfigWatcherTest.BASE));
    dev.await(ConfigTopics.STATUS, ConfigStatus::inForce).await();
    Path config = dev.path(ConfigRoot.CONFIG);

    Path fifo = config.resolveSibling("fifo.tmp");
    Process mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).start();
    assertTrue(mkfifo.waitFor(10, TimeUnit.SECONDS) && mkfifo.exitValue() == 0, "mkfifo");
    Files.move(fifo, config, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    ConfigStatus s = dev.await(ConfigTopics.STATUS, x -> x.error() != null).await();
    assertEquals("cannot read the file: a FIFO, not a regular file; it was not opened", s.error().reason());
    assertTrue(s.inForce(), "the last good config stays");
    // the API on the mesh's loops still answers, and says why it is degraded
    JsonObject health = get("/health", 200);
    assertEquals("DEGRADED", health.getString("status"));
    assertTrue(health.getJsonArray("reasons").getString(0).contains("a FIFO, not a regular file"), health.encode());

    Files.delete(config);
    try (ServerSocketChannel socket = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
      socket.bind(UnixDomainSocketAddress.of(config));
      dev.await(ConfigTopics.STATUS, x -> x.error() != null && x.error().reason().contains("a socket")).await();
    }
    Files.deleteIfExists(config);
    Files.createDirectory(config);
    dev.await(ConfigTopics.STATUS, x -> x.error() != null && x.error().reason().contains("a folder")).await();
    Files.delete(config);
    written(ConfigWatcherTest.BASE.replace("\"uuid\"", "\"hostname\":\"back\",\"uuid\""));
    ConfigRoot.awaitFile(dev, "/etc/hostname", "back\n");
    assertEquals("UP", get("/health", 200).getString("status"));
    // and the mesh stops (nothing is stuck in a read)
    dev.stop().await(20, TimeUnit.SECONDS);
  }
}
