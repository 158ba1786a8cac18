package io.hostmesh.timesync.https;

import io.hostmesh.cli.DemoHook;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;

/**
 * {@code hostmesh demo}: starts a {@link ConnectivityEndpoint} on 127.0.0.1 with a throwaway CA
 * and points the demo device's config.json at it ({@code os.network.connectivity.uri},
 * {@code balenaRootCA}), so timesync-https steps the demo clock over verified TLS.
 *
 * <p>The endpoint's Date is the host's time. config.json is rewritten atomically (temp file in
 * the same folder, then rename).
 */
public final class ConnectivityDemoHook implements DemoHook {
  static final String CONFIG = "mnt/boot/config.json";
  private ConnectivityEndpoint endpoint;

  @Override
  public Future<Void> prepare(Vertx vertx, Path root) {
    ThrowawayCa ca = ThrowawayCa.create("hostmesh demo CA");
    return ConnectivityEndpoint.start(vertx, ca.issue("127.0.0.1"), Instant::now).compose(ep -> {
      endpoint = ep;
      return vertx.executeBlocking(() -> {
        pointConfigAt(root.resolve(CONFIG), ep.uri(), ca.balenaRootCA());
        return null;
      });
    });
  }

  @Override
  public Future<Void> close() {
    return endpoint == null ? Future.succeededFuture() : endpoint.close();
  }

  static void pointConfigAt(Path config, String uri, String balenaRootCA) throws IOException {
    JsonObject json = Files.exists(config) ? new JsonObject(Files.readString(config)) : new JsonObject();
    JsonObject os = json.getJsonObject("os", new JsonObject());
    JsonObject network = os.getJsonObject("network", new JsonObject());
    JsonObject connectivity = network.getJsonObject("connectivity", new JsonObject());
    connectivity.put("uri", uri);
    network.put("connectivity", connectivity);
    os.put("network", network);
    json.put("os", os).put("balenaRootCA", balenaRootCA);
    Files.createDirectories(config.getParent());
    Path tmp = Files.createTempFile(config.getParent(), ".config.json.", ".tmp");
    Files.writeString(tmp, json.encodePrettily() + "\n");
    Files.move(tmp, config, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }
}
