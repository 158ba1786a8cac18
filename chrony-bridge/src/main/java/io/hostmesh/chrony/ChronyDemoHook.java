package io.hostmesh.chrony;

import io.hostmesh.cli.DemoHook;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
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
      if (!installed()) {
        return null;
      }
      server = new LocalNtpServer("127.0.0.2").start();
      Path settings = root.resolve("etc/hostmesh/hostmesh.json");
      JsonObject json = Files.exists(settings) ? new JsonObject(Files.readString(settings)) : new JsonObject();
      JsonObject units = json.getJsonObject("units", new JsonObject());
      units.put("chronyd", units.getJsonObject("chronyd", new JsonObject())
          .put("servers", new JsonArray().add(server.serverLine())));
      json.put("units", units);
      Files.createDirectories(settings.getParent());
      Files.writeString(settings, json.encodePrettily() + "\n");
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

  private static boolean installed() {
    for (String dir : new String[] {"/usr/sbin", "/sbin", "/usr/bin", "/bin"}) {
      if (Files.isExecutable(Path.of(dir, "chronyd"))) {
        return true;
      }
    }
    return false;
  }
}
