package io.hostmesh.ssh;

import io.hostmesh.platform.Timer;
import io.hostmesh.schema.ssh.SshSessionClosed;
import io.hostmesh.schema.ssh.SshSessionOpened;
import io.hostmesh.schema.ssh.SshSocketState;
import io.hostmesh.schema.ssh.SshSocketStatus;
import io.hostmesh.schema.ssh.SshTopics;
import io.hostmesh.schema.ssh.SshdMode;
import io.hostmesh.unit.UnitContext;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code sshd.socket} with {@code Accept=yes} (spec/units.md §2): a listening socket that hands
 * every connection to its own {@code sshd -i}, with systemd's {@code MaxConnections=} and trigger
 * limit.
 *
 * <p>Past the trigger limit the socket is in {@code trigger-limit-hit}: every new connection is
 * closed at once until {@link #restart()}. The listening socket itself stays bound, because
 * closing a Vert.x server closes its live connections too, while systemd leaves running
 * {@code sshd@} instances alone.
 *
 * <p>Threading: everything runs on the unit's event loop except the pipe pumps
 * ({@link SshdSession}). Failures of one session never affect the socket.
 */
final class SshSocketActivator {
  /** Starts the sshd of one accepted connection. */
  interface Launcher {
    /** sshd for this session; fails when it cannot be started (the connection is then closed). */
    Future<Launched> launch(SshdSession session);
  }

  /** A started sshd and the variant it runs. */
  record Launched(Process process, SshdMode mode) {}

  private final UnitContext unit;
  private final SshSocketSettings settings;
  private final Launcher launcher;
  private final TriggerLimit triggerLimit;
  private final Map<Long, SshdSession> sessions = new LinkedHashMap<>();
  private final ExecutorService pumps;
  private Context context;
  private NetServer server;
  private Timer statusTimer;
  private SshSocketState state = SshSocketState.STOPPED;
  private int port;
  private long nextSession;
  private long accepted;
  private long refused;
  private long triggerLimitHits;
  private long closedBytesFromClient;
  private long closedBytesToClient;

  SshSocketActivator(UnitContext unit, SshSocketSettings settings, Launcher launcher) {
    this.unit = unit;
    this.settings = settings;
    this.launcher = launcher;
    this.triggerLimit = new TriggerLimit(settings.triggerLimitBurst(), settings.triggerLimitInterval());
    AtomicInteger threads = new AtomicInteger();
    this.pumps = Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "ssh-socket-pump-" + threads.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
  }

  /** Binds the socket; completes with the bound port. Call on the unit's event loop. */
  Future<Integer> listen(Vertx vertx) {
    this.context = vertx.getOrCreateContext();
    NetServerOptions options = new NetServerOptions()
        .setHost(settings.host())
        .setPort(settings.port())
        .setTcpNoDelay(true);
    server = vertx.createNetServer(options).connectHandler(this::onConnect);
    return server.listen()
        .recover(e -> Future.failedFuture("cannot listen on " + settings.host() + ":" + settings.port() + ": " + e.getMessage()))
        .map(s -> {
          port = s.actualPort();
          state = SshSocketState.LISTENING;
          statusTimer = unit.scheduler().periodic(settings.statusInterval(), () -> {
            if (!sessions.isEmpty()) {
              publishStatus();
            }
          });
          publishStatus();
          return port;
        });
  }

  SshSocketState state() {
    return state;
  }

  int port() {
    return port;
  }

  /** {@code systemctl start sshd.socket} after a trigger-limit stop: accepting again. */
  void restart() {
    if (state == SshSocketState.TRIGGER_LIMIT_HIT) {
      triggerLimit.reset();
      state = SshSocketState.LISTENING;
      publishStatus();
    }
  }

  /**
   * Stops accepting, closes every connection (their sshd follow) and waits for them to be reaped.
   * Never fails.
   */
  Future<Void> stop() {
    state = SshSocketState.STOPPED;
    if (statusTimer != null) {
      statusTimer.cancel();
    }
    List<Future<Void>> done = new ArrayList<>();
    for (SshdSession s : new ArrayList<>(sessions.values())) {
      s.close("socket stopped");
      done.add(s.finished());
    }
    Future<Void> closed = server == null ? Future.succeededFuture() : server.close().otherwiseEmpty();
    return Future.join(done).otherwiseEmpty().compose(v -> closed).onComplete(v -> {
      pumps.shutdown();
      publishStatus();
    }).mapEmpty();
  }

  SshSocketStatus status() {
    long from = closedBytesFromClient;
    long to = closedBytesToClient;
    for (SshdSession s : sessions.values()) {
      from += s.bytesFromClient();
      to += s.bytesToClient();
    }
    return new SshSocketStatus(state, settings.host(), port, settings.maxConnections(), triggerLimit.burst(),
        triggerLimit.intervalMillis(), accepted, refused, sessions.size(), from, to, triggerLimitHits);
  }

  private void publishStatus() {
    unit.bus().publish(SshTopics.SOCKET_STATUS, status());
  }

  private void onConnect(NetSocket socket) {
    if (state != SshSocketState.LISTENING) {
      refuse(socket);
      return;
    }
    // systemd checks the trigger limit before MaxConnections, so dropped connections count too
    if (!triggerLimit.allow(unit.scheduler().uptimeMillis())) {
      triggerLimitHits++;
      state = SshSocketState.TRIGGER_LIMIT_HIT;
      unit.log().warn("Trigger limit hit, refusing further activation.");
      unit.log().warn("Failed with result 'trigger-limit-hit'.");
      refuse(socket);
      return;
    }
    if (sessions.size() >= settings.maxConnections()) {
      unit.log().warn("Too many incoming connections (" + sessions.size() + "), dropping connection.");
      refuse(socket);
      return;
    }
    accepted++;
    SshdSession session = new SshdSession(++nextSession, socket, context, pumps, unit.scheduler().uptimeMillis());
    sessions.put(session.id(), session);
    session.finished().onComplete(x -> onFinished(session));
    launcher.launch(session).onComplete(ar -> {
      if (ar.succeeded()) {
        session.attach(ar.result().process());
        unit.bus().publish(SshTopics.SESSION_OPENED, new SshSessionOpened(session.id(), session.remote(),
            ar.result().mode(), ar.result().process().pid(), unit.clock().now()));
      } else {
        unit.log().error("sshd for " + session.remote() + " could not be started: " + ar.cause().getMessage());
        session.abort("sshd not started: " + ar.cause().getMessage());
      }
    });
    publishStatus();
  }

  private void refuse(NetSocket socket) {
    refused++;
    socket.close();
    publishStatus();
  }

  private void onFinished(SshdSession s) {
    sessions.remove(s.id());
    closedBytesFromClient += s.bytesFromClient();
    closedBytesToClient += s.bytesToClient();
    String reason = s.reason();
    if (s.exitCode() != 0 && s.exitCode() != 255 && !s.lastStderrLine().isEmpty()) {
      reason = reason + ": " + s.lastStderrLine();
    }
    unit.bus().publish(SshTopics.SESSION_CLOSED, new SshSessionClosed(s.id(), s.remote(), s.bytesFromClient(),
        s.bytesToClient(), unit.scheduler().uptimeMillis() - s.openedAtMillis(), s.exitCode(), reason,
        unit.clock().now()));
    publishStatus();
  }
}
