package io.hostmesh.api.shell;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * balenaOS unit names and the mesh units behind them, for {@code systemctl} and {@code journalctl}
 * over SSH. One table, the same as README's "Unit names" (UnitNamesReferenceTest keeps them
 * equal). A mesh unit without a row is {@code <name>.service}; a name is also found without its
 * suffix ({@code chronyd}) and by the mesh unit's own name ({@code ssh-socket}).
 */
final class UnitNames {
  /** How a balenaOS unit's state derives from its mesh unit. */
  enum Kind {
    /** The mesh unit's own state. */
    UNIT,
    /** sshd.socket: listening, or failed with {@code trigger-limit-hit}, from the socket's status. */
    SOCKET,
    /** A timer: active (waiting) while its mesh unit runs. */
    TIMER,
    /** A job a path or timer starts: inactive between runs, failed when its mesh unit failed. */
    JOB
  }

  /**
   * One row.
   *
   * @param name the balenaOS unit
   * @param unit the mesh unit
   * @param kind how its state is derived
   * @param primary true for the name the mesh unit is listed and logs under
   * @param messages which of the mesh unit's log lines are this unit's
   */
  record Entry(String name, String unit, Kind kind, boolean primary, Predicate<String> messages) {
    /** The journal's identifier: the name without its suffix. */
    String identifier() {
      int dot = name.lastIndexOf('.');
      return dot > 0 ? name.substring(0, dot) : name;
    }

    /** The unit type, from the suffix ({@code service}, {@code socket}, {@code timer}, {@code path}). */
    String type() {
      return name.substring(name.lastIndexOf('.') + 1);
    }
  }

  /** ssh-socket's recover-sshd-socket line (SshSocketUnit.RECOVERY_MESSAGE; the modules do not share code). */
  static final String RECOVERY_MESSAGE = "sshd.socket was stopped by trigger rate limit, restarting";

  /** The table: balenaOS unit, mesh unit, kind; {@link #alias} rows are not a mesh unit's primary name. */
  static final List<Entry> TABLE = List.of(
      row("chronyd.service", "chronyd", Kind.UNIT),
      row("balena-ntp-config.service", "chrony-sources", Kind.UNIT),
      row("config-json.path", "config-watcher", Kind.UNIT),
      alias("config-json.service", "config-watcher", Kind.JOB, m -> true),
      row("sshd.socket", "ssh-socket", Kind.SOCKET),
      alias("recover-sshd-socket.timer", "ssh-socket", Kind.TIMER, m -> false),
      alias("recover-sshd-socket.service", "ssh-socket", Kind.JOB, m -> m.startsWith(RECOVERY_MESSAGE)),
      row("sshdgenkeys.service", "sshdgenkeys", Kind.UNIT),
      row("os-sshkeys.service", "os-sshkeys", Kind.UNIT),
      row("timesync-https.service", "timesync-https", Kind.UNIT),
      row("os-udevrules.service", "os-udevrules", Kind.UNIT),
      row("fake-hwclock.service", "fake-hwclock", Kind.UNIT),
      row("fake-hwclock-update.service", "fake-hwclock-update", Kind.UNIT),
      row("balena-hostname.service", "hostname", Kind.UNIT),
      row("development-features.service", "development-features", Kind.UNIT),
      row("balena-net-config.service", "dns", Kind.UNIT),
      row("os-networkmanager.service", "networkmanager-config", Kind.UNIT),
      row("balena-persistent-logs.service", "persistent-logging", Kind.UNIT),
      row("extract-balena-ca.service", "root-ca", Kind.UNIT),
      row("NetworkManager.service", "network", Kind.UNIT),
      row("timeinit-rtc.service", "timeinit-rtc", Kind.UNIT),
      row("timeinit-buildtime.service", "timeinit-buildtime", Kind.UNIT),
      row("balena.service", "balena", Kind.UNIT),
      row("openvpn.service", "openvpn", Kind.UNIT));

  private static final Map<String, Entry> BY_NAME = new LinkedHashMap<>();
  private static final Map<String, Entry> PRIMARY = new LinkedHashMap<>();

  static {
    for (Entry e : TABLE) {
      BY_NAME.put(e.name(), e);
      if (e.primary()) {
        PRIMARY.put(e.unit(), e);
      }
    }
  }

  private UnitNames() {}

  private static Entry row(String name, String unit, Kind kind) {
    return new Entry(name, unit, kind, true, m -> true);
  }

  private static Entry alias(String name, String unit, Kind kind, Predicate<String> messages) {
    return new Entry(name, unit, kind, false, messages);
  }

  /** The balenaOS unit a mesh unit is listed and logs under. */
  static Entry primary(String meshUnit) {
    return PRIMARY.getOrDefault(meshUnit, new Entry(meshUnit + ".service", meshUnit, Kind.UNIT, true, m -> true));
  }

  /**
   * A name as a user types it: a balenaOS unit with or without its suffix, or a mesh unit's name;
   * empty when {@code exists} (does the mesh have this unit?) says no.
   */
  static Optional<Entry> find(String name, Predicate<String> exists) {
    Entry e = BY_NAME.get(name);
    if (e == null && !name.contains(".")) {
      e = BY_NAME.get(name + ".service");
    }
    if (e == null) {
      String unit = name.endsWith(".service") ? name.substring(0, name.length() - ".service".length()) : name;
      if (exists.test(unit)) {
        e = primary(unit);
      }
    }
    return e != null && exists.test(e.unit()) ? Optional.of(e) : Optional.empty();
  }

  /** The name a user meant, with {@code .service} added where it has no suffix (for messages). */
  static String canonical(String name) {
    return name.contains(".") ? name : name + ".service";
  }
}
