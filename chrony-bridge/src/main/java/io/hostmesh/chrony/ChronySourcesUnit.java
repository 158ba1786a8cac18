package io.hostmesh.chrony;

import io.hostmesh.schema.config.ConfigDocument;

import io.hostmesh.platform.HostFiles;
import io.hostmesh.platform.Profile;
import io.hostmesh.schema.chrony.ChronyTopics;
import io.hostmesh.schema.chrony.DhcpNtpApplied;
import io.hostmesh.schema.chrony.DhcpNtpServers;
import io.hostmesh.schema.config.ConfigError;
import io.hostmesh.schema.config.ConfigTopics;
import io.hostmesh.schema.config.Projections.NtpConfig;
import io.hostmesh.unit.UnitDescriptor;
import io.hostmesh.unit.UnitVerticle;
import io.vertx.core.Future;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;

/**
 * The extra NTP sources of chronyd's {@code sourcedir}: balena-ntp-config (config.json's
 * {@code ntpServers} → {@code /run/chrony/added_config.sources}) and NetworkManager's
 * {@code 98dhcp_ntp} (DHCP NTP servers → {@code /run/chrony/added_dhcp_<iface>.sources}),
 * each followed by chrony-helper update-sources ({@code reload sources} when chronyd runs).
 * Runs from the start of the mesh, before chronyd, as the originals do (spec/boot-order.md).
 *
 * <p>Every change is serialised (chrony-helper's flock). A name that is not a host name or an
 * IP address is refused as a whole: the file stays as it was, and the refusal goes to
 * {@link ConfigTopics#CONFIG_ERROR} (config.json) or back to the requester (DHCP).
 *
 * <p>Settings ({@code units.chrony-sources}): {@code sourceOptions} (sim only) replaces the
 * spec's pool options, e.g. {@code "port 11123 iburst minpoll -2 maxpoll 0"}, so a test server
 * on loopback is polled at once; {@code chronyc}: the chronyc program.
 */
public final class ChronySourcesUnit extends UnitVerticle {
  /** spec/units.md §balena-ntp-config and §NM dispatchers: the options of every added pool line. */
  static final String SPEC_OPTIONS = "iburst minpoll 14 maxpoll 14 maxsources 1";
  private static final String CONFIG_FILE = ConfigDocument.DEVICE_PATH;

  private final SerialQueue queue = new SerialQueue();
  private String options;
  private Chronyc chronyc;

  @Override
  public UnitDescriptor descriptor() {
    return UnitDescriptor.named("chrony-sources")
        .description("Extra NTP sources for chronyd (balena-ntp-config, NetworkManager 98dhcp_ntp)")
        .service()
        .build();
  }

  @Override
  public Future<?> start() {
    options = SPEC_OPTIONS;
    String custom = unit().settings().getString("sourceOptions");
    if (custom != null && unit().profile() == Profile.SIM) {
      Optional<String> p = SourceNames.optionsProblem(custom);
      if (p.isPresent()) {
        return Future.failedFuture(new IllegalArgumentException("units.chrony-sources.sourceOptions: " + p.get()));
      }
      options = custom;
    }
    chronyc = new Chronyc(unit().processes(), unit().settings().getString("chronyc", "chronyc"),
        unit().files().resolve(ChronyPaths.SOCKET).toString());
    // balena-ntp-config: mkdir -p /run/chrony -m 770
    return unit().files().mkdirs(ChronyPaths.SOURCE_DIR, PosixFilePermissions.fromString("rwxrwx---")).compose(v -> {
      var config = unit().bus().subscribe(ConfigTopics.NTP, c -> queue.submit(() -> applyConfig(c)));
      var dhcp = unit().bus().serve(ChronyTopics.DHCP_NTP_SERVERS, d -> queue.submit(() -> applyDhcp(d)));
      return Future.all(config.completion(), dhcp.completion());
    });
  }

  /** balena-ntp-config: one pool line per name; none → the file is removed (the four default pools stay). */
  private Future<Void> applyConfig(NtpConfig config) {
    List<String> names = config == null || config.servers() == null ? List.of() : config.servers();
    Optional<String> problem = SourceNames.firstServerProblem(names);
    if (problem.isPresent()) {
      String reason = problem.get() + "; " + ChronyPaths.CONFIG_SOURCES + " left unchanged";
      unit().log().error("ntpServers refused: " + reason);
      unit().bus().publish(ConfigTopics.CONFIG_ERROR,
          new ConfigError(CONFIG_FILE, "/ntpServers", reason, unit().name(), unit().clock().now()));
      return Future.succeededFuture();
    }
    return writeSources(ChronyPaths.CONFIG_SOURCES, names)
        .compose(changed -> {
          if (!changed) {
            return Future.succeededFuture();
          }
          unit().log().info(names.isEmpty() ? "Removed " + ChronyPaths.CONFIG_SOURCES
              : "Wrote " + ChronyPaths.CONFIG_SOURCES + ": " + String.join(" ", names));
          return chronyc.updateSources().mapEmpty();
        });
  }

  /** 98dhcp_ntp: up/dhcp4-change write or remove the interface's file, down removes it. */
  private Future<DhcpNtpApplied> applyDhcp(DhcpNtpServers d) {
    Optional<String> problem = SourceNames.interfaceProblem(d.iface())
        .or(() -> SourceNames.firstServerProblem(d.servers()));
    if (problem.isPresent()) {
      unit().log().error("DHCP NTP sources refused: " + problem.get());
      return Future.failedFuture(new IllegalArgumentException(problem.get()));
    }
    String file = ChronyPaths.dhcpSources(d.iface());
    String action = d.action() == null ? "" : d.action();
    boolean existed = unit().files().exists(file);
    String change;
    List<String> servers;
    switch (action) {
      case "up", "dhcp4-change" -> {
        servers = d.servers();
        change = !servers.isEmpty() ? (existed ? "updated" : "added") : (existed ? "removed" : "unchanged");
      }
      case "down" -> {
        servers = List.of();
        change = existed ? "removed" : "unchanged";
      }
      default -> {
        return Future.succeededFuture(new DhcpNtpApplied(d.iface(), action, file, "unchanged", false));
      }
    }
    String verb = switch (change) {
      case "updated" -> "Updating";
      case "added" -> "Adding";
      case "removed" -> "Removing";
      default -> null;
    };
    if (verb == null) {
      return Future.succeededFuture(new DhcpNtpApplied(d.iface(), action, file, change, false));
    }
    unit().log().info(verb + " DHCP NTP sources (" + d.iface() + " " + action + ").");
    return writeSources(file, servers)
        .compose(changed -> chronyc.updateSources())
        .map(reloaded -> new DhcpNtpApplied(d.iface(), action, file, change, reloaded));
  }

  /** Writes one pool line per name (atomically), or removes the file when there are none; true when it changed. */
  private Future<Boolean> writeSources(String file, List<String> names) {
    HostFiles files = unit().files();
    if (names.isEmpty()) {
      return files.delete(file);
    }
    StringBuilder b = new StringBuilder();
    names.forEach(n -> b.append("pool ").append(n).append(' ').append(options).append('\n'));
    return files.writeIfChanged(file, b.toString(), null);
  }
}
