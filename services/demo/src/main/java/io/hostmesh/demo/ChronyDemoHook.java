package io.hostmesh.demo;

import io.hostmesh.platform.Platforms;

import io.hostmesh.spi.DemoHook;
import io.hostmesh.mesh.MeshSettings;
import io.hostmesh.platform.BlockingHostFiles;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;

/**
 * Gives the demo device an NTP server: a local chronyd (always {@code -x}) on 127.0.0.2, set as
 * the supervised chronyd's sim source in {@code /etc/hostmesh/hostmesh.json}, so the demo reaches
 * time-sync. Does nothing where chronyd is not installed (the chronyd unit is then skipped).
 */
public final class ChronyDemoHook implements DemoHook {
  private LocalNtpServer server;

  @Override
  public Future<Void> prepare(Vertx vertx, Path root) {
    return vertx.executeBlocking(() -> {
      if (!Platforms.onPath("chronyd")) {
        return null;
      }
      server = new LocalNtpServer("127.0.0.2").start();
      BlockingHostFiles files = Platforms.files(root);
      JsonObject json = files.read(MeshSettings.FILE).map(JsonObject::new).orElseGet(JsonObject::new);
      JsonObject units = json.getJsonObject("units", new JsonObject());
      units.put("chronyd", units.getJsonObject("chronyd", new JsonObject())
          .put("servers", new JsonArray().add(server.serverLine())));
      files.write(MeshSettings.FILE, json.put("units", units).encodePrettily() + "\n", null);
      return null;
    });
  }

  @Override
  public Future<Void> close() {
    LocalNtpServer s = server;
    server = null;
    if (s == null) {
      return Future.succeededFuture();
    }
    try {
      s.close();
      return Future.succeededFuture();
    } catch (Exception e) {
      return Future.failedFuture(e);
    }
  }
}
