package io.hostmesh.units.config;

import io.hostmesh.unit.support.RefusedValue;

import io.hostmesh.unit.support.ProjectionUnit;

import io.hostmesh.platform.ProcessResult;
import io.hostmesh.schema.config.ConfigSchema;
import io.hostmesh.schema.config.ConfigTopics;
import io.hostmesh.schema.config.Projections.HostnameConfig;
import io.vertx.core.Future;
import java.time.Duration;
import java.util.List;

/**
 * balena-hostname (spec/units.md §6): {@code hostname}, or the first 7 characters of
 * {@code uuid}, set with {@code hostname(1)} and written to {@code /etc/hostname}. Unlike the
 * original, the name is checked as an RFC 1123 host name before anything runs, and only
 * avahi-daemon (which advertises {@code <hostname>.local}) is restarted, not balena.service.
 */
public final class Hostname extends ProjectionUnit<HostnameConfig> {
  static final String FILE = "/etc/hostname";
  private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(10);

  public Hostname() {
    super("hostname", ConfigTopics.HOSTNAME,
        b -> b.description("Host name from config.json (balena-hostname)"));
  }

  @Override
  protected Future<Void> apply(HostnameConfig c) throws Exception {
    unit().log().info("Setting hostname.");
    String name = c.hostname();
    String pointer = "/hostname";
    if (name == null || name.isEmpty()) {
      unit().log().info("Generating default based on short UUID.");
      String uuid = c.uuid() == null ? "" : c.uuid();
      name = uuid.substring(0, Math.min(7, uuid.length())); // a shorter UUID is used whole
      pointer = "/uuid";
      if (name.isEmpty()) {
        throw new RefusedValue(pointer, "UUID missing from config.json.");
      }
    }
    if (!ConfigSchema.validHostname(name)) {
      throw new RefusedValue(pointer, "not an RFC 1123 host name: \"" + printable(name) + "\"");
    }
    String h = name;
    return unit().processes().run(List.of("hostname", h), COMMAND_TIMEOUT).compose(r -> {
      if (!r.ok()) {
        return Future.failedFuture("hostname " + h + " failed (exit " + r.exitCode() + "): " + r.stderr().strip());
      }
      return unit().files().writeIfChanged(FILE, h + "\n", null)
          .recover(e -> Future.failedFuture("cannot write " + FILE + ": " + e.getMessage()))
          .compose(changed -> {
            unit().log().info("Hostname set to " + h);
            return changed ? restartAvahi() : Future.succeededFuture();
          });
    });
  }

  /** avahi-daemon is R/A balena-hostname (spec/units.md §6): it must advertise the new name. */
  private Future<Void> restartAvahi() {
    return unit().processes().run(List.of("systemctl", "try-restart", "avahi-daemon.service"), COMMAND_TIMEOUT)
        .map((ProcessResult r) -> {
          if (!r.ok()) {
            unit().log().warn("systemctl try-restart avahi-daemon.service failed: " + r.stderr().strip());
          }
          return null;
        });
  }

  static String printable(String s) {
    return s.replaceAll("\\p{Cntrl}", "?");
  }
}
