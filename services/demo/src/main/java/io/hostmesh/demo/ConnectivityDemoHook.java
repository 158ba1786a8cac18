package io.hostmesh.demo;

import io.hostmesh.platform.Platforms;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.hostmesh.spi.DemoHook;
import io.hostmesh.unit.support.ConfigFileEdit;
import io.hostmesh.unit.support.TlsWarmup;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;

/**
 * {@code hostmesh demo}: starts a {@link ConnectivityEndpoint} on 127.0.0.1 with a throwaway CA
 * and points the demo device's config.json at it ({@code os.network.connectivity.uri},
 * {@code balenaRootCA}), so timesync-https steps the demo clock over verified TLS.
 *
 * <p>The endpoint's Date is the host's time. config.json is edited as {@code hostmesh config set} does: validated,
 * then written atomically.
 */
public final class ConnectivityDemoHook implements DemoHook {
  private ConnectivityEndpoint endpoint;

  @Override
  public Future<Void> prepare(Vertx vertx, Path root) {
    // the endpoint's first connection, from timesync-https, would initialise the TLS classes of
    // both sides on event loops; a worker does it while the device boots (not waited for here)
    TlsWarmup.once(vertx);
    ThrowawayCa ca = ThrowawayCa.create("hostmesh demo CA");
    return ConnectivityEndpoint.start(vertx, ca.issue("127.0.0.1"), Instant::now).compose(ep -> {
      endpoint = ep;
      return vertx.executeBlocking(() -> {
        pointConfigAt(root, ep.uri(), ca.balenaRootCA());
        return null;
      });
    });
  }

  @Override
  public Future<Void> close() {
    return endpoint == null ? Future.succeededFuture() : endpoint.close();
  }

  /** The same validated, atomic edit as {@code hostmesh config set} and {@code PATCH /v1/config}. */
  static void pointConfigAt(Path root, String uri, String balenaRootCA) throws IOException {
    ObjectNode patch = ConfigFileEdit.patchForKey("os.network.connectivity.uri", TextNode.valueOf(uri));
    patch.put("balenaRootCA", balenaRootCA);
    try {
      ConfigFileEdit.apply(Platforms.files(root), patch);
    } catch (ConfigFileEdit.Refused e) {
      throw new IOException("the demo's connectivity settings were refused: " + e.getMessage(), e);
    }
  }
}
