package io.hostmesh.deploy.bridge;

import io.hostmesh.bus.JsonRecordCodec;
import io.hostmesh.bus.Subscription;
import io.hostmesh.spi.RunHook;
import io.hostmesh.mesh.Mesh;
import io.hostmesh.schema.unit.UnitTopics;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.bridge.BridgeOptions;
import io.vertx.ext.bridge.PermittedOptions;
import io.vertx.ext.eventbus.bridge.tcp.TcpEventBusBridge;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * The Vert.x TCP event-bus bridge, for bus consumers in other languages (framing: 4-byte
 * big-endian length, then JSON). Off unless the mesh settings have {@code bridge.port};
 * {@code bridge.host} must be a loopback address (default 127.0.0.1). Read-only: clients may
 * register for {@code unit.*} addresses and send nothing.
 *
 * <p>The bus carries Java records by reference, which the bridge cannot encode, so this hook
 * re-publishes unit state changes and log lines as JSON objects ({@link JsonRecordCodec#toJson},
 * the shipped schemas describe them) on {@link #STATE_CHANGES} and {@link #LOG}.
 *
 * <p>Threading: re-publishing runs on a Vert.x event loop. Failure: a non-loopback host or a
 * port in use fails {@link #started} with the reason; the mesh runs on without the bridge.
 */
public final class EventBusBridgeHook implements RunHook {
  /** JSON copies of {@code UnitTopics.STATE_CHANGES} (UnitStateChanged schema). */
  public static final String STATE_CHANGES = "unit.bridge.state-changes";
  /** JSON copies of {@code UnitTopics.LOG} (LogLine schema). */
  public static final String LOG = "unit.bridge.log";

  private final List<Subscription> subscriptions = new ArrayList<>();
  private TcpEventBusBridge bridge;

  @Override
  public Future<Void> started(Mesh mesh) {
    JsonObject s = mesh.settings().json().getJsonObject("bridge");
    if (s == null || s.getValue("port") == null) {
      return Future.succeededFuture();
    }
    int port;
    String host = s.getString("host", "127.0.0.1");
    try {
      port = s.getInteger("port");
      if (port < 1 || port > 65535) {
        throw new IllegalArgumentException();
      }
      if (!InetAddress.getByName(host).isLoopbackAddress()) {
        return Future.failedFuture("bridge.host " + host + " is not a loopback address: the bridge is local only");
      }
    } catch (ClassCastException | IllegalArgumentException e) {
      return Future.failedFuture("bridge.port must be a port number 1-65535, got " + s.getValue("port"));
    } catch (UnknownHostException e) {
      return Future.failedFuture("bridge.host " + host + " is not an address");
    }
    BridgeOptions options = new BridgeOptions().addOutboundPermitted(new PermittedOptions().setAddressRegex("unit\\..+"));
    var eb = mesh.vertx().eventBus();
    subscriptions.add(mesh.bus().subscribe(UnitTopics.STATE_CHANGES,
        c -> eb.publish(STATE_CHANGES, new JsonObject(Buffer.buffer(JsonRecordCodec.toJson(c))))));
    subscriptions.add(mesh.bus().subscribe(UnitTopics.LOG,
        l -> eb.publish(LOG, new JsonObject(Buffer.buffer(JsonRecordCodec.toJson(l))))));
    return TcpEventBusBridge.create(mesh.vertx(), options).listen(port, host).map(b -> {
      bridge = b;
      System.out.println("event-bus bridge on tcp://" + host + ":" + port + " (read-only, unit.* addresses)");
      return (Void) null;
    }).onFailure(e -> {
      subscriptions.forEach(Subscription::cancel);
      subscriptions.clear();
    });
  }

  @Override
  public Future<Void> stopping(Mesh mesh) {
    subscriptions.forEach(Subscription::cancel);
    subscriptions.clear();
    return bridge == null ? Future.succeededFuture() : bridge.close();
  }
}
