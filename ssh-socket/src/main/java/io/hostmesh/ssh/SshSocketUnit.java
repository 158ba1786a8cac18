package io.hostmesh.ssh;

import io.hostmesh.bus.Subscription;
import io.hostmesh.platform.BlockingHostFiles;
import io.hostmesh.platform.Profile;
import io.hostmesh.platform.Timer;
import io.hostmesh.schema.config.ConfigTopics;
import io.hostmesh.schema.config.DevelopmentMode;
import io.hostmesh.schema.ssh.SshSocketControl;
import io.hostmesh.schema.ssh.SshSocketState;
import io.hostmesh.schema.ssh.SshSocketStatus;
import io.hostmesh.schema.ssh.SshTopics;
import io.hostmesh.schema.ssh.SshdMode;
import io.hostmesh.unit.UnitDescriptor;
import io.hostmesh.unit.UnitVerticle;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * ssh-socket: {@code sshd.socket} + {@code sshd@.service} + {@code recover-sshd-socket}
 * (spec/units.md §2). Listens on 22222 (setting {@code port}; 0 picks a free port, published in
 * {@link SshTopics#SOCKET_STATUS}), runs {@code ssh_keys_merger} and one {@code sshd -i} per
 * connection, with the sshd variant of the development mode latched on
 * {@link ConfigTopics#DEVELOPMENT_MODE}. A mode change applies to new connections; live sessions
 * are left alone (the original restarts them). A connection that arrives before the mode is known
 * waits for it, at most {@code loginGraceSeconds}.
 *
 * <p>Skipped in sim when no sshd is installed (the condition names openssh-server). Fails to start
 * when the configured sshd is missing, the port cannot be bound, or the device root cannot be
 * written into sshd_config.
 */
public final class SshSocketUnit extends UnitVerticle {
  static final String NAME = "ssh-socket";
  /** Fixed shadow content: root with the empty password, as on a development image. */
  static final String SIM_SHADOW_TEXT = "root::1:0:99999:7:::\n";
  /** recover-sshd-socket's line; {@code journalctl -u recover-sshd-socket.service} shows these. */
  public static final String RECOVERY_MESSAGE = "sshd.socket was stopped by trigger rate limit, restarting";

  private SshSocketSettings settings;
  private SshdCommand command;
  private SshSocketActivator activator;
  private Subscription modeSubscription;
  private Subscription control;
  private Timer recoveryTimer;
  private volatile DevelopmentMode mode;

  @Override
  public UnitDescriptor descriptor() {
    return UnitDescriptor.named(NAME)
        .description("sshd.socket: SSH on port 22222, one sshd -i per connection")
        .service()
        .after(SshdGenKeysUnit.NAME, OsSshKeysUnit.NAME)
        .condition(SimPrograms.installedInSim("sshd", "openssh-server"))
        .publishes(SshTopics.SOCKET_STATUS)
        .build();
  }

  @Override
  public Future<?> start() {
    try {
      settings = SshSocketSettings.from(unit().settings(), unit().profile());
    } catch (RuntimeException e) {
      return Future.failedFuture("invalid ssh-socket settings: " + e.getMessage());
    }
    String sshd = settings.sshd();
    if (!sshd.startsWith("/") || !Files.isExecutable(Path.of(sshd))) {
      // sshd re-executes itself, so it needs an absolute path
      String why = "sshd not found at " + sshd + ": install openssh-server (every SSH connection runs sshd -i)";
      unit().log().error(why);
      return Future.failedFuture(why);
    }
    return vertx.executeBlocking(this::prepareFiles, false)
        .compose(this::withView)
        .compose(cmd -> {
          command = cmd;
          modeSubscription = unit().bus().subscribe(ConfigTopics.DEVELOPMENT_MODE, this::onMode);
          return modeSubscription.completion();
        })
        .compose(v -> {
          activator = new SshSocketActivator(unit(), settings, this::launch);
          return activator.listen(vertx);
        })
        // the advert names the port really bound
        .compose(port -> unit().files().writeIfChanged(SshPaths.AVAHI_SERVICE, AvahiSshService.render(port), null)
            .map(port))
        .onSuccess(port -> {
          recoveryTimer = unit().scheduler().periodic(settings.recoveryInterval(), this::recover);
          control = unit().bus().serve(SshTopics.CONTROL, this::control);
          unit().log().info("Listening on " + settings.host() + ":" + port);
        });
  }

  @Override
  public Future<?> stop() {
    if (recoveryTimer != null) {
      recoveryTimer.cancel();
    }
    Future<Void> unsubscribed = modeSubscription == null ? Future.succeededFuture() : modeSubscription.cancel();
    if (control != null) {
      control.cancel();
    }
    Future<Void> stopped = activator == null ? Future.succeededFuture() : activator.stop();
    return Future.join(unsubscribed, stopped);
  }

  /** recover-sshd-socket.service: restarts the socket only when the trigger limit stopped it. */
  private Future<Void> recover() {
    if (activator.state() == SshSocketState.TRIGGER_LIMIT_HIT) {
      unit().log().info(RECOVERY_MESSAGE);
      return activator.restart();
    }
    return Future.succeededFuture();
  }

  /** A socket job asked over SSH ({@code systemctl}); open sessions are never touched. */
  private Future<SshSocketStatus> control(SshSocketControl job) {
    Future<Void> done = switch (job.action()) {
      case RECOVER -> recover();
      case RESTART -> activator.restart();
    };
    return done.map(v -> activator.status());
  }

  private void onMode(DevelopmentMode m) {
    if (!m.equals(mode)) {
      unit().log().info("sshd variant for new connections: " + SshdCommand.mode(m).name().toLowerCase());
    }
    mode = m;
  }

  /** sshd.socket ExecStartPre, and the generated configs (blocking: runs on a worker). */
  private Prepared prepareFiles() throws IOException {
    BlockingHostFiles files = unit().files().blocking();
    files.mkdirs(SshPaths.PRIVSEP_DIR, PosixFilePermissions.fromString("rwxr-xr-x"));
    if (!Files.isDirectory(SshPaths.HOST_PRIVSEP_DIR)) {
      // the host's sshd binary has its privilege separation folder compiled in
      Files.createDirectories(SshPaths.HOST_PRIVSEP_DIR);
      unit().log().info("Created " + SshPaths.HOST_PRIVSEP_DIR + " for sshd");
    }
    files.mkdirs(SshPaths.SSH_DIR, PosixFilePermissions.fromString("rwx------"));
    String production = SshdConfigs.render(false, this::configPath, settings.strictModes());
    String development = SshdConfigs.render(true, this::configPath, settings.strictModes());
    files.writeIfChanged(SshPaths.PRODUCTION_CONFIG, production, null);
    files.writeIfChanged(SshPaths.DEVELOPMENT_CONFIG, development, null);
    String shadow = null;
    if (unit().profile() == Profile.SIM && settings.emptyPasswordShadow()) {
      if (unit().processes().available("unshare")) {
        files.writeIfChanged(SshPaths.SIM_SHADOW, SIM_SHADOW_TEXT, AuthorizedKeysMerger.MODE_600);
        shadow = configPath(SshPaths.SIM_SHADOW);
      } else {
        unit().log().warn("unshare not found: development mode uses the host's /etc/shadow as it is");
      }
    }
    SshdCommand plain = new SshdCommand(settings.sshd(), configPath(SshPaths.PRODUCTION_CONFIG),
        configPath(SshPaths.DEVELOPMENT_CONFIG), shadow);
    if (unit().profile() != Profile.SIM || !settings.deviceView()) {
      return new Prepared(plain, null);
    }
    Shims.write(files, configPath("/"));
    return new Prepared(plain, new DeviceView(configPath("/"), Shims.DIR,
        shadow == null ? null : SshPaths.SIM_SHADOW));
  }

  /** The files are ready; a sim device's view is tried once before sessions are put in it. */
  private Future<SshdCommand> withView(Prepared p) {
    if (p.view() == null) {
      return Future.succeededFuture(p.plain());
    }
    return p.view().probe(unit().processes()).map(problem -> {
      if (problem.isPresent()) {
        // a host where namespaces or overlays cannot be made: logging in still works, as before
        unit().log().warn("SSH sessions see the host, not the device: its view cannot be made here: " + problem.get());
        unit().status("sessions see the host: " + problem.get());
        return p.plain();
      }
      unit().log().info("SSH sessions see the device (its files, commands and clock; no host clock, network, power or mounts)");
      return new SshdCommand(settings.sshd(), configPath(SshPaths.PRODUCTION_CONFIG),
          configPath(SshPaths.DEVELOPMENT_CONFIG), null, p.view());
    });
  }

  /** The command without the view, and the view to try (sim), or null. */
  private record Prepared(SshdCommand plain, DeviceView view) {}

  private String configPath(String devicePath) {
    return SshPaths.configSafe(unit().files().resolve(devicePath));
  }

  /** sshd@.service for one connection: wait for the mode, run the merger, start sshd. */
  private Future<SshSocketActivator.Launch> launch(SshSession session) {
    DevelopmentMode known = mode;
    Future<DevelopmentMode> m = known != null ? Future.succeededFuture(known) : awaitMode(session);
    return m.compose(dev -> {
      SshdMode variant = SshdCommand.mode(dev);
      return vertx.executeBlocking(() -> {
        mergeKeys();
        return new SshSocketActivator.Launch(command.argv(variant), variant);
      }, false);
    });
  }

  /** ExecStartPre=-/usr/sbin/ssh_keys_merger: a failure is logged and ignored, as the "-" says. */
  private void mergeKeys() {
    try {
      AuthorizedKeysMerger.merge(unit().files().blocking());
    } catch (IOException | RuntimeException e) {
      unit().log().warn("ssh_keys_merger failed: " + e.getMessage());
    }
  }

  private Future<DevelopmentMode> awaitMode(SshSession session) {
    unit().log().info("Waiting for development-features before starting sshd for " + session.remote());
    Promise<DevelopmentMode> p = Promise.promise();
    Subscription sub = unit().bus().subscribe(ConfigTopics.DEVELOPMENT_MODE, p::tryComplete);
    Timer grace = unit().scheduler().schedule(settings.loginGrace(),
        () -> p.tryFail("development mode still unknown after " + settings.loginGrace().toSeconds() + " s"));
    session.clientLeft().onComplete(x -> p.tryFail("client closed before sshd started"));
    return p.future().onComplete(x -> {
      sub.cancel();
      grace.cancel();
    });
  }
}
