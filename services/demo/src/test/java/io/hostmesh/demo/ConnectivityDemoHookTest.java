package io.hostmesh.demo;

import io.hostmesh.unit.support.ConfigFileEdit;
import io.hostmesh.demo.ConnectivityDemoHook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(VertxExtension.class)
@Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
class ConnectivityDemoHookTest {
  @Test
  void pointsConfigAtALiveEndpointKeepingOtherKeys(Vertx vertx, @TempDir Path root) throws Exception {
    Path config = root.resolve(io.hostmesh.unit.support.ConfigFileEdit.CONFIG_PATH.substring(1));
    Files.createDirectories(config.getParent());
    Files.writeString(config, "{\"uuid\":\"abc\",\"os\":{\"network\":{\"connectivity\":{\"interval\":\"3600\"}}}}");
    ConnectivityDemoHook hook = new ConnectivityDemoHook();
    hook.prepare(vertx, root).await(30, java.util.concurrent.TimeUnit.SECONDS);
    try {
      JsonObject json = new JsonObject(Files.readString(config));
      assertEquals("abc", json.getString("uuid"));
      JsonObject c = json.getJsonObject("os").getJsonObject("network").getJsonObject("connectivity");
      assertEquals("3600", c.getString("interval"));
      assertTrue(c.getString("uri").matches("https://127\\.0\\.0\\.1:\\d+/connectivity-check"), c.getString("uri"));
      String pem = new String(java.util.Base64.getDecoder().decode(json.getString("balenaRootCA")), java.nio.charset.StandardCharsets.US_ASCII);
      assertEquals(1, pem.split("-----BEGIN CERTIFICATE-----", -1).length - 1, "one CA certificate in balenaRootCA");
      try (var files = Files.list(config.getParent())) {
        assertEquals(1, files.count(), "no temp file left behind");
      }
    } finally {
      hook.close().await(30, java.util.concurrent.TimeUnit.SECONDS);
    }
  }
}
