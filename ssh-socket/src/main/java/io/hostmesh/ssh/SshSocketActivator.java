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
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code sshd.socket} with {@code Accept=yes} (spec/units.md §2): a listening socket that hands
 * every connection to its own {@code sshd -i}, with systemd's {@code MaxConnections=} and trigger
 * limit.
 *
 * <p>Past the trigger limit the socket is in {@code trigger-limit-hit} until {@link #restart()}:
 * as systemd, it stops listening, so clients get "connection refused", while running sessions
 * go on (handed-over connections belong to their sshd, not to the listener). In the pipe
 * fallback the listening socket stays bound and new connections are closed at once instead,
 * because closing a Vert.x server closes its live connections too.
 *
 * <p>Threading: everything runs on the unit's event loop except the accepting thread of
 * {@link HandoffListener} and the blocking work of the sessions (spawning, reaping, pipe pumps).
 * Failures of one session never affect the socket.
 */
final class SshSocketActivator {
  /** Chooses the sshd of one accepted connection. */
  interface Launcher {
    /** sshd for this session; fails when none can be run (the connection is then closed). */
    Future<Launch> launch(SshSession session);
  }

  /** The argument vector of one sshd and the variant it runs. */
  record Launch(List<String> argv, SshdMode mode) {}

  private final UnitContext unit;
  private final SshSocketSettings settings;
  private final Launcher launcher;
  private final TriggerLimit triggerLimit;
  private final Map<Long, SshSession> sessions = new LinkedHashMap<>();
  private final ExecutorService pumps;
  /** Spawns each sshd (the hand-off); the pumps then reap it and read its stderr. */
  private final ExecutorService spawner;
  private Context context;
  private NetServer server;
  private HandoffListener handoff;
  private Timer statusTimer;
  private SshSocketState state = SshSocketState.STOPPED;
  private int port;
  private long nextSession;
  private long accepted;
  /** Completes when the listener stopped at the trigger limit has closed. */
  private Future<Void> listenerClosed = Future.succeededFuture();
  private long refused;
  private long triggerLimitHits;
  private long closedBytesFromClient;
  private long closedBytesToClient;
  /** The pipe fallback's {@code nice -n N} before sshd's argument vector; empty when not wanted or not installed. */
  private List<String> nicePrefix = List.of();

  SshSocketActivator(UnitContext unit, SshSocketSettings settings, Launcher launcher) {
    this.unit = unit;
    this.settings = settings;
    this.launcher = launcher;
    this.triggerLimit = new TriggerLimit(settings.triggerLimitBurst(), settings.triggerLimitInterval());
    this.pumps = Executors.newCachedThreadPool(named("ssh-socket-pump-"));
    // one thread, kept while connections come (so the event loop never waits for a new thread
    // in a burst), gone after a quiet minute (an idle device keeps no thread for it)
    ThreadPoolExecutor one = new ThreadPoolExecutor(1, 1, 60, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
        named("ssh-socket-spawn-"));
    one.allowCoreThreadTimeOut(true);
    this.spawner = one;
  }

  /**
   * The sessions' threads run at the mesh's priority; sshd itself is lowered once spawned
   * ({@link NativeSpawn#lowerPriority}), so a burst of key exchanges runs below the event loops
   * ({@link SshSocketSettings#nice()}). A JVM thread is never lowered: one that is runnable in Java
   * code but waits for a busy CPU holds up every safepoint, and with it every event loop.
   */
  private static ThreadFactory named(String name) {
    AtomicInteger threads = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, name + threads.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }

  /**
   * Binds the socket; completes with the bound port. Call on the unit's event loop. With
   * {@code stdio} {@code socket}, sshd is given each connection itself; with {@code pipe}, bytes
   * are pumped; {@code auto} takes the first where the platform allows it.
   */
  Future<Integer> listen(Vertx vertx) {
    this.context = vertx.getOrCreateContext();
    // loading the native parts takes ~0.2 s: not on an event loop other units share
    Future<String> unavailable = settings.stdio() == SshSocketSettings.Stdio.PIPE
        ? Future.succeededFuture("pipes chosen in the settings")
        : vertx.executeBlocking(HandoffListener::unavailableReason, false);
    return unavailable.compose(why -> bind(vertx, why));
  }

  private Future<Integer> bind(Vertx vertx, String unavailable) {
    Future<Integer> bound;
    if (unavailable == null) {
      handoff = new HandoffListener();
      bound = handoff.listen(settings.host(), settings.port(), context, this::onHandoff);
      unit.log().info("sshd gets each connection as its standard input and output");
    } else if (settings.stdio() == SshSocketSettings.Stdio.SOCKET) {
      return Future.failedFuture("stdio \"socket\" is not possible here: " + unavailable);
    } else {
      if (settings.nice() > 0 && unit.processes().available("nice")) {
        nicePrefix = List.of("nice", "-n", Integer.toString(settings.nice()));
      }
      NetServerOptions options = new NetServerOptions()
          .setHost(settings.host())
          .setPort(settings.port())
          .setTcpNoDelay(true);
      server = vertx.createNetServer(options).connectHandler(this::onPipedConnection);
      bound = server.listen().map(NetServer::actualPort);
      unit.log().info("sshd's standard streams are piped to each connection (" + unavailable + ")");
    }
    return bound
        .recover(e -> Future.failedFuture("cannot listen on " + settings.host() + ":" + settings.port() + ": " + e.getMessage()))
        .map(p -> {
          port = p;
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

  /** systemd closes the listening socket of a unit that hit its trigger limit. */
  private void stopListening() {
    if (handoff != null) {
      HandoffListener stopped = handoff;
      handoff = null;
      listenerClosed = stopped.close();
    }
  }

  /**
   * {@code systemctl start sshd.socket} after a trigger-limit stop: listening (on the same port)
   * and accepting again.
   */
  Future<Void> restart() {
    if (state != SshSocketState.TRIGGER_LIMIT_HIT) {
      return Future.succeededFuture();
    }
    Future<Integer> listening = Future.succeededFuture(port);
    if (server == null && handoff == null) {
      handoff = new HandoffListener();
      listening = handoff.listen(settings.host(), port, context, this::onHandoff);
    }
    return listening.map(p -> {
      triggerLimit.reset();
      state = SshSocketState.LISTENING;
      publishStatus();
      return (Void) null;
    }).onFailure(e -> unit.log().error("cannot listen on " + settings.host() + ":" + port + " again: " + e.getMessage()));
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
    for (SshSession s : new ArrayList<>(sessions.values())) {
      s.close("socket stopped");
      done.add(s.finished());
    }
    Future<Void> closed = server != null ? server.close().otherwiseEmpty()
        : handoff != null ? handoff.close() : Future.succeededFuture();
    return Future.join(done).otherwiseEmpty().compose(v -> closed).onComplete(v -> {
      pumps.shutdown();
      spawner.shutdown();
      publishStatus();
    }).mapEmpty();
  }

  SshSocketStatus status() {
    long from = closedBytesFromClient;
    long to = closedBytesToClient;
    for (SshSession s : sessions.values()) {
      SshSession.Traffic t = s.traffic();
      from += t.fromClient();
      to += t.toClient();
    }
    return new SshSocketStatus(state, settings.host(), port, settings.maxConnections(), triggerLimit.burst(),
        triggerLimit.intervalMillis(), accepted, refused, sessions.size(), from, to, triggerLimitHits);
  }

  private void publishStatus() {
    unit.bus().publish(SshTopics.SOCKET_STATUS, status());
  }

  private void onPipedConnection(NetSocket socket) {
    if (admit()) {
      SshSession session = new SshdSession(++nextSession, socket, context, pumps, unit.scheduler().uptimeMillis(),
          argv -> unit.processes().spawn(niced(argv), Map.of()));
      open(session);
    } else {
      socket.close();
    }
  }

  private void onHandoff(HandoffListener.Accepted connection) {
    if (admit()) {
      open(new HandoffSession(++nextSession, connection, context, spawner, pumps, settings.nice(),
          unit.scheduler().uptimeMillis(), unit.scheduler().realTime()));
    } else {
      // the connection that trips the limit is closed once nothing listens any more
      listenerClosed.onComplete(x -> NativeSpawn.close(connection.fd()));
    }
  }

  /**
   * The pipe fallback starts sshd through the platform's processes, not from a pump thread:
   * {@code nice} (coreutils) lowers it there, and execs it (the pid stays sshd's).
   */
  private List<String> niced(List<String> argv) {
    if (nicePrefix.isEmpty()) {
      return argv;
    }
    List<String> out = new ArrayList<>(nicePrefix);
    out.addAll(argv);
    return out;
  }

  /** The socket's rules for a new connection: false when it is to be closed at once. */
  private boolean admit() {
    if (state != SshSocketState.LISTENING) {
      refused();
      return false;
    }
    // systemd checks the trigger limit before MaxConnections, so dropped connections count too
    if (!triggerLimit.allow(unit.scheduler().uptimeMillis())) {
      triggerLimitHits++;
      state = SshSocketState.TRIGGER_LIMIT_HIT;
      unit.log().warn("Trigger limit hit, refusing further activation.");
      unit.log().warn("Failed with result 'trigger-limit-hit'.");
      stopListening();
      refused();
      return false;
    }
    if (sessions.size() >= settings.maxConnections()) {
      unit.log().warn("Too many incoming connections (" + sessions.size() + "), dropping connection.");
      refused();
      return false;
    }
    accepted++;
    return true;
  }

  private void open(SshSession session) {
    sessions.put(session.id(), session);
    session.finished().onComplete(x -> onFinished(session));
    launcher.launch(session).compose(l -> session.start(l.argv()).map(pid -> new SshSessionOpened(session.id(),
        session.remote(), l.mode(), pid, unit.clock().now()))).onComplete(ar -> {
      if (ar.succeeded()) {
        unit.bus().publish(SshTopics.SESSION_OPENED, ar.result());
      } else {
        unit.log().error("sshd for " + session.remote() + " could not be started: " + ar.cause().getMessage());
        session.abort("sshd not started: " + ar.cause().getMessage());
      }
    });
    publishStatus();
  }

  private void refused() {
    refused++;
    publishStatus();
  }

  private void onFinished(SshSession s) {
    sessions.remove(s.id());
    SshSession.Traffic traffic = s.traffic();
    closedBytesFromClient += traffic.fromClient();
    closedBytesToClient += traffic.toClient();
    String reason = s.reason();
    if (s.exitCode() != 0 && s.exitCode() != 255 && !s.lastStderrLine().isEmpty()) {
      reason = reason + ": " + s.lastStderrLine();
    }
    unit.bus().publish(SshTopics.SESSION_CLOSED, new SshSessionClosed(s.id(), s.remote(), traffic.fromClient(),
        traffic.toClient(), unit.scheduler().uptimeMillis() - s.openedAtMillis(), s.exitCode(), reason,
        unit.clock().now()));
    publishStatus();
  }
}
