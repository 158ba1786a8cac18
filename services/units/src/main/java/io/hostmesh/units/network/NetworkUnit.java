package io.hostmesh.units.network;

import io.hostmesh.bus.Subscription;
import io.hostmesh.platform.ProcessResult;
import io.hostmesh.platform.Profile;
import io.hostmesh.platform.Timer;
import io.hostmesh.schema.https.HttpsTopics;
import io.hostmesh.schema.https.SimNetworkChange;
import io.hostmesh.schema.targets.NetworkState;
import io.hostmesh.schema.targets.Targets;
import io.hostmesh.unit.UnitDescriptor;
import io.hostmesh.unit.UnitVerticle;
import io.vertx.core.Future;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * network: latches {@link Targets#NETWORK}, which timesync-https requires (spec/boot-order.md:
 * {@code NetworkManager < network.target < timesync-https}; network.target means NetworkManager
 * started, not that a link is up).
 *
 * <p>{@code sim}: online at start unless {@value #SIM_STATE_FILE} under the device root says
 * {@code down}; {@link HttpsTopics#SET_SIM_NETWORK} (and {@code POST /v1/sim/network}) takes it
 * down or up and writes that file, so the state survives a simulated reboot. {@code device}:
 * online when {@code nm-online -s -q} reports NetworkManager's startup complete, retried every
 * {@link #NM_RETRY}; at once with a warning where nm-online is not installed. The program can be
 * replaced with the setting {@code units.network.nmOnline} (an absolute path) in hostmesh.json.
 *
 * <p>Threading: everything runs on the unit's event loop.
 */
public final class NetworkUnit extends UnitVerticle {
  /** The sim device's network switch: a file holding {@code down} or {@code up}. */
  public static final String SIM_STATE_FILE = "/var/lib/hostmesh/sim-network";
  /** nm-online's own default is 30 s; the process is killed a little after. */
  static final Duration NM_ONLINE_TIMEOUT = Duration.ofSeconds(40);
  static final Duration NM_RETRY = Duration.ofSeconds(5);

  public static final UnitDescriptor DESCRIPTOR = UnitDescriptor.named("network")
      .description("Network target: NetworkManager started (sim: a switch under the device root)")
      .service()
      .publishes(Targets.NETWORK)
      .build();

  private Subscription serving;
  private Timer retry;
  private boolean stopped;

  @Override
  public UnitDescriptor descriptor() {
    return DESCRIPTOR;
  }

  @Override
  public Future<?> start() {
    if (unit().profile() == Profile.SIM) {
      return startSim();
    }
    serving = unit().bus().serve(HttpsTopics.SET_SIM_NETWORK,
        c -> Future.failedFuture("the network can be switched only on a simulated device"));
    return serving.completion().onSuccess(v -> {
      if (!unit().processes().available(nmOnline())) {
        unit().log().warn("nm-online not found - NetworkManager state unknown, network target reached at once.");
        latch(true, "nm-online absent");
      } else {
        waitForNetworkManager();
      }
    });
  }

  @Override
  public Future<?> stop() {
    stopped = true;
    if (retry != null) {
      retry.cancel();
    }
    return serving == null ? Future.succeededFuture() : serving.cancel();
  }

  private Future<?> startSim() {
    boolean down;
    try {
      down = unit().files().read(SIM_STATE_FILE).map(s -> s.trim().toLowerCase(Locale.ROOT).equals("down")).orElse(false);
    } catch (IOException e) {
      unit().log().warn("Cannot read " + SIM_STATE_FILE + " (" + e.getMessage() + ") - assuming the network is up.");
      down = false;
    }
    if (down) {
      unit().log().info("Simulated network is down (" + SIM_STATE_FILE + ").");
    }
    boolean online = !down;
    // the switch is served before the target is latched: whoever sees the target can use it
    serving = unit().bus().serve(HttpsTopics.SET_SIM_NETWORK, this::switchSim);
    return serving.completion().onSuccess(v -> latch(online, online ? "sim start" : "sim down file"));
  }

  private Future<NetworkState> switchSim(SimNetworkChange change) {
    if (change == null) {
      return Future.failedFuture("no network state given");
    }
    String reason = change.reason() == null || change.reason().isBlank() ? "request" : change.reason();
    // atomic write: a reader (or a crash) sees the old switch or the new one
    return unit().files().write(SIM_STATE_FILE, (change.online() ? "up" : "down") + "\n", null)
        .recover(e -> Future.failedFuture("cannot write " + SIM_STATE_FILE + ": " + e.getMessage()))
        .map(v -> {
          unit().log().info("Simulated network " + (change.online() ? "up" : "down") + " (" + reason + ").");
          return latch(change.online(), reason);
        });
  }

  private void waitForNetworkManager() {
    if (stopped) {
      return;
    }
    // -s: wait for NetworkManager's startup to complete, which is what network.target means
    unit().processes().run(List.of(nmOnline(), "-s", "-q"), NM_ONLINE_TIMEOUT).onComplete(ar -> {
      if (stopped) {
        return;
      }
      if (ar.succeeded() && ar.result().ok()) {
        latch(true, "nm-online");
        return;
      }
      String why = ar.succeeded() ? describe(ar.result()) : String.valueOf(ar.cause().getMessage());
      unit().log().warn("NetworkManager startup not complete (" + why + ") - retrying in " + NM_RETRY.toSeconds() + " s.");
      retry = unit().scheduler().schedule(NM_RETRY, this::waitForNetworkManager);
    });
  }

  /** The program to ask; setting {@code units.network.nmOnline} of hostmesh.json, default {@code nm-online}. */
  private String nmOnline() {
    return unit().settings().getString("nmOnline", "nm-online");
  }

  private static String describe(ProcessResult r) {
    return "nm-online exit " + r.exitCode();
  }

  private NetworkState latch(boolean online, String reason) {
    NetworkState state = new NetworkState(online, reason, unit().clock().now());
    unit().bus().publish(Targets.NETWORK, state);
    return state;
  }
}
