package io.hostmesh.hostos.units;

import io.hostmesh.bus.Subscription;
import io.hostmesh.hostos.BootEnv;
import io.hostmesh.hostos.HostOs;
import io.hostmesh.hostos.OsRelease;
import io.hostmesh.hostos.OsVersion;
import io.hostmesh.hostos.RollbackFiles;
import io.hostmesh.hostos.SimOs;
import io.hostmesh.hostos.Slots;
import io.hostmesh.schema.hostos.HostOsTopics;
import io.hostmesh.schema.hostos.HupAnswer;
import io.hostmesh.schema.hostos.HupOutcome;
import io.hostmesh.schema.hostos.HupRecord;
import io.hostmesh.schema.hostos.HupRequest;
import io.hostmesh.unit.UnitDescriptor;
import io.hostmesh.unit.UnitVerticle;
import io.vertx.core.Future;
import java.io.IOException;
import java.util.List;
import java.util.Locale;

/**
 * hostapp-update (sim): serves {@link HostOsTopics#HUP} ({@code POST /v1/sim/hup},
 * {@code hostmesh sim hup}). Writes the inactive slot (os-release with {@code VERSION} and
 * {@code META_BALENA_VERSION}, an init unless {@code --break init}, the {@code --break} marker),
 * writes {@code rollback-health-variables} (VPN online or not), runs the hooks with
 * {@code DURING_UPDATE=1} (breadcrumbs, {@code resin_root_part}, {@code upgrade_available=1}),
 * records the update as in progress, and asks for a reboot. Refused on a real device (there the
 * real hostapp-update does this), and while an update is on trial.
 */
public final class HostappUpdate extends UnitVerticle {
  /** What {@code --break} accepts. */
  public static final List<String> BREAKS = List.of("engine", "vpn", "init");

  public static final UnitDescriptor DESCRIPTOR = UnitDescriptor.named("hostapp-update")
      .description("Sim host OS update: write the other slot, run the hooks, reboot")
      .service()
      .after("bootloader")
      .build();

  private Subscription serving;
  private boolean busy;

  @Override
  public UnitDescriptor descriptor() {
    return DESCRIPTOR;
  }

  @Override
  public Future<?> start() {
    serving = unit().bus().serve(HostOsTopics.HUP, this::update);
    return serving.completion();
  }

  @Override
  public Future<?> stop() {
    return serving == null ? Future.succeededFuture() : serving.cancel();
  }

  /** The reason a {@code --break} value is refused, or null; empty and {@code none} mean nothing breaks. */
  public static String breakProblem(String b) {
    String v = normalise(b);
    return v.isEmpty() || BREAKS.contains(v) ? null
        : "break: '" + b.replaceAll("\\p{Cntrl}", "?") + "' is not one of " + String.join(", ", BREAKS);
  }

  private static String normalise(String b) {
    String v = b == null ? "" : b.trim().toLowerCase(Locale.ROOT);
    return v.equals("none") ? "" : v;
  }

  private Future<HupAnswer> update(HupRequest req) {
    if (req == null) {
      return Future.failedFuture("no update given");
    }
    HostOs os = new HostOs(unit());
    if (!os.sim()) {
      return Future.failedFuture("host OS updates are simulated only: on a device, hostapp-update does this");
    }
    String problem = OsVersion.problem(req.version());
    if (problem == null) {
      problem = breakProblem(req.breakPart());
    }
    if (problem != null) {
      return Future.failedFuture(problem);
    }
    if (busy) {
      return Future.failedFuture("a host OS update is being written");
    }
    String brk = normalise(req.breakPart());
    BootEnv env;
    HostOs.Running running;
    String from;
    try {
      env = os.env();
      running = os.running();
      if (env.kind() == BootEnv.Kind.NONE || running.slot().isEmpty()) {
        return Future.failedFuture("no A/B host OS on this device (" + BootEnv.UENV + " or a grubenv, and "
            + SimOs.path("a", SimOs.SLOT_OS_RELEASE) + ")");
      }
      if (env.upgradeAvailable() || os.exists(RollbackFiles.HEALTH_BREADCRUMB) || os.exists(RollbackFiles.ALTBOOT_BREADCRUMB)) {
        return Future.failedFuture("a host OS update is on trial (upgrade_available=" + (env.upgradeAvailable() ? 1 : 0)
            + ", breadcrumbs " + os.breadcrumbs() + "): wait until it commits or rolls back");
      }
      from = SimOs.release(unit().files()::read, running.slot()).map(OsRelease::effectiveVersion).orElse("");
    } catch (IOException e) {
      return Future.failedFuture(e);
    }
    busy = true;
    String to = Slots.other(running.slot());
    String version = req.version();
    boolean vpnOnline = os.exists(RollbackFiles.VPN_ACTIVE);
    unit().log().info("Writing balenaOS " + version + " to slot " + to + (brk.isEmpty() ? "" : " (broken: " + brk + ")"));
    HupRecord record = new HupRecord(from, version, running.slot(), to, brk, HupOutcome.IN_PROGRESS,
        unit().clock().now(), null, "");
    return writeSlot(to, version, brk)
        .compose(v -> unit().files().write(RollbackFiles.HEALTH_VARIABLES,
            "BALENAOS_ROLLBACK_VPNONLINE=" + (vpnOnline ? 1 : 0) + "\n", null))
        .compose(v -> os.hooks(true, to))
        .compose(v -> os.saveHup(record))
        .compose(v -> {
          os.changed("hostapp-update " + version);
          unit().log().info("Host OS update to " + version + " written to slot " + to + "; rebooting");
          return os.reboot("host OS update to " + version, false)
              .map(x -> new HupAnswer(from, version, running.slot(), to, brk, true,
                  "balenaOS " + version + " written to slot " + to + "; rebooting into it"))
              .otherwise(e -> new HupAnswer(from, version, running.slot(), to, brk, false,
                  "balenaOS " + version + " written to slot " + to + "; " + e.getMessage()));
        })
        .onComplete(ar -> busy = false);
  }

  private Future<Void> writeSlot(String slot, String version, String brk) {
    var files = unit().files();
    Future<?> init = brk.equals("init") ? files.delete(SimOs.path(slot, SimOs.INIT))
        : files.write(SimOs.path(slot, SimOs.INIT), SimOs.INIT_CONTENT, null);
    Future<?> marker = brk.equals("engine") || brk.equals("vpn") ? files.write(SimOs.path(slot, SimOs.BREAK), brk + "\n", null)
        : files.delete(SimOs.path(slot, SimOs.BREAK));
    return Future.all(init, marker)
        .compose(v -> files.write(SimOs.path(slot, SimOs.SLOT_OS_RELEASE), OsRelease.render(version), null));
  }
}
