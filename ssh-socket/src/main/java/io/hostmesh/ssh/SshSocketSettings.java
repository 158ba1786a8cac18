package io.hostmesh.ssh;

import io.hostmesh.platform.Profile;
import io.vertx.core.json.JsonObject;
import java.time.Duration;

/**
 * The {@code units.ssh-socket} settings of the mesh settings file, with the original's defaults.
 *
 * <pre>{@code
 * "ssh-socket": { "host": "0.0.0.0", "port": 22222, "maxConnections": 64,
 *   "triggerLimitBurst": 200, "triggerLimitIntervalMillis": 2000, "recoveryIntervalSeconds": 900,
 *   "statusIntervalSeconds": 10, "sshd": "/usr/sbin/sshd", "strictModes": true,
 *   "emptyPasswordShadow": false, "stdio": "auto", "deviceView": false, "nice": 10 }
 * }</pre>
 *
 * @param host listen address: {@code 0.0.0.0} on a device, {@code 127.0.0.1} in sim
 * @param port {@code ListenStream=22222}; 0 picks a free port (published in the status)
 * @param maxConnections systemd's {@code MaxConnections=} default, 64
 * @param triggerLimitBurst systemd's default for {@code Accept=yes}, 200
 * @param triggerLimitInterval systemd's default for {@code Accept=yes}, 2 s
 * @param recoveryInterval recover-sshd-socket.timer, {@code OnCalendar=*:0/15}
 * @param statusInterval how often the counters are republished while sessions are open
 * @param loginGrace how long a connection waits for the development mode to be known
 *     (sshd's {@code LoginGraceTime} default, 120 s)
 * @param sshd the sshd program; it must be an absolute path (sshd re-executes itself)
 * @param strictModes sshd's {@code StrictModes}; off in sim, where the device root usually lies
 *     under a world-writable {@code /tmp} that sshd would refuse
 * @param emptyPasswordShadow sim only: in development mode, run sshd in its own mount namespace
 *     with a shadow file where root has an empty password bound over {@code /etc/shadow}, as on a
 *     development image; the host's own {@code /etc/shadow} is never changed
 * @param stdio how sshd meets its connection: {@code socket} gives sshd the connection itself
 *     (systemd's {@code StandardInput=socket}; needs Linux with glibc 2.34+ on x86-64 or ARM64),
 *     {@code pipe} pumps bytes between the connection and sshd's standard streams, {@code auto}
 *     (the default) takes {@code socket} where possible
 * @param deviceView sim only: every session runs in the device's view ({@link DeviceView}: the
 *     device root's files where balenaOS has them, the device's commands on the PATH, no
 *     capability that reaches the host's clock, network, power or mounts); off on a device
 * @param nice the CPU priority sshd runs at, 0 (the mesh's own) to 19 (the lowest); 10 by
 *     default: a burst of logins is key exchanges, each a few ms of CPU, and dozens at once on a
 *     small board would otherwise starve the mesh's event loops (a balenaOS sshd runs at 0)
 */
record SshSocketSettings(
    String host,
    int port,
    int maxConnections,
    int triggerLimitBurst,
    Duration triggerLimitInterval,
    Duration recoveryInterval,
    Duration statusInterval,
    Duration loginGrace,
    String sshd,
    boolean strictModes,
    boolean emptyPasswordShadow,
    Stdio stdio,
    boolean deviceView,
    int nice) {

  /** How sshd's standard input and output reach the connection. */
  enum Stdio {
    AUTO, SOCKET, PIPE;

    static Stdio parse(String s) {
      for (Stdio v : values()) {
        if (v.name().equalsIgnoreCase(s)) {
          return v;
        }
      }
      throw new IllegalArgumentException("ssh-socket stdio must be auto, socket or pipe: " + s);
    }
  }

  static final int DEFAULT_PORT = 22222;
  /** systemd's {@code MaxConnections=} default. */
  static final int DEFAULT_MAX_CONNECTIONS = 64;
  /** recover-sshd-socket.timer: {@code OnCalendar=*:0/15}. */
  static final Duration DEFAULT_RECOVERY = Duration.ofMinutes(15);
  /** sshd below the mesh: logins wait a little longer when the CPU is busy, the mesh does not. */
  static final int DEFAULT_NICE = 10;

  SshSocketSettings {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("ssh-socket port out of range: " + port);
    }
    if (maxConnections < 1) {
      throw new IllegalArgumentException("ssh-socket maxConnections must be at least 1: " + maxConnections);
    }
    if (recoveryInterval.isZero() || recoveryInterval.isNegative()) {
      throw new IllegalArgumentException("ssh-socket recoveryIntervalSeconds must be positive");
    }
    if (nice < 0 || nice > 19) {
      throw new IllegalArgumentException("ssh-socket nice must be 0 (the mesh's priority) to 19 (the lowest): " + nice);
    }
  }

  static SshSocketSettings from(JsonObject s, Profile profile) {
    boolean sim = profile == Profile.SIM;
    return new SshSocketSettings(
        s.getString("host", sim ? "127.0.0.1" : "0.0.0.0"),
        s.getInteger("port", DEFAULT_PORT),
        s.getInteger("maxConnections", DEFAULT_MAX_CONNECTIONS),
        s.getInteger("triggerLimitBurst", TriggerLimit.DEFAULT_BURST),
        Duration.ofMillis(s.getLong("triggerLimitIntervalMillis", TriggerLimit.DEFAULT_INTERVAL.toMillis())),
        Duration.ofSeconds(s.getLong("recoveryIntervalSeconds", DEFAULT_RECOVERY.toSeconds())),
        Duration.ofSeconds(s.getLong("statusIntervalSeconds", 10L)),
        Duration.ofSeconds(s.getLong("loginGraceSeconds", 120L)),
        s.getString("sshd", "/usr/sbin/sshd"),
        s.getBoolean("strictModes", !sim),
        s.getBoolean("emptyPasswordShadow", sim),
        Stdio.parse(s.getString("stdio", "auto")),
        sim && s.getBoolean("deviceView", true),
        s.getInteger("nice", DEFAULT_NICE));
  }
}
