package io.hostmesh.hostos;

import io.hostmesh.bus.Bus;
import io.hostmesh.bus.JsonRecordCodec;
import io.hostmesh.platform.HostFiles;
import io.hostmesh.platform.Profile;
import io.hostmesh.schema.hostos.BootDecision;
import io.hostmesh.schema.hostos.HostOsTopics;
import io.hostmesh.schema.hostos.HupOutcome;
import io.hostmesh.schema.hostos.HupRecord;
import io.hostmesh.schema.hostos.OsChanged;
import io.hostmesh.schema.hostos.OsSlot;
import io.hostmesh.schema.hostos.OsStatus;
import io.hostmesh.schema.hostos.RebootRequest;
import io.hostmesh.unit.UnitContext;
import io.vertx.core.Future;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The host OS as a unit sees it: the bootloader environment, the running root, the slots, the
 * breadcrumbs, and the scripts the rollback units share ({@code rollback-stop}, the update
 * hooks, {@code rollback-check-version}, {@code reboot}). In sim the hooks are emulated on the
 * files; on a device they are the real {@code hostapp-update-hooks}.
 *
 * <p>Threading: reads are of small files and may run on the unit's event loop; writes go through
 * {@link HostFiles} (the device's ordered worker) and complete on the caller's context.
 */
public final class HostOs {
  private final UnitContext unit;

  public HostOs(UnitContext unit) {
    this.unit = unit;
  }

  /**
   * The running root.
   *
   * @param slot {@code a} or {@code b}; empty when unknown
   * @param partition its partition index; 0 when unknown
   * @param source how it was found ({@code bootloader}, {@code mounts}, {@code resin_root_part})
   */
  public record Running(String slot, int partition, String source) {
    public boolean known() {
      return partition > 0;
    }

    /** Whether {@code resin_root_part} names this root (by hex index or letter). */
    public boolean namedBy(String rootPart) {
      return known() && Slots.names(rootPart, partition, slot.isEmpty() ? null : slot);
    }
  }

  public boolean sim() {
    return unit.profile() == Profile.SIM;
  }

  public BootEnv env() throws IOException {
    return BootEnv.read(unit.files()::read);
  }

  /** The sim lifecycle's decision for this boot, if a lifecycle runs the device. */
  public Optional<BootDecision> decision() {
    return unit.bus().latest(HostOsTopics.BOOT);
  }

  /** The running root: the emulated bootloader's choice in sim, the mounts on a device. */
  public Running running() throws IOException {
    if (sim()) {
      Optional<BootDecision> d = decision().filter(x -> !x.slot().isEmpty());
      if (d.isPresent()) {
        return new Running(d.get().slot(), Slots.partition(d.get().slot()), "bootloader");
      }
      // no lifecycle (hostmesh run): nothing falls back, the named root is the running one
      return Slots.named(env().rootPart()).map(s -> new Running(s, Slots.partition(s), "resin_root_part"))
          .orElse(new Running("", 0, "unknown"));
    }
    OptionalInt idx = DeviceOs.runningPartition(unit.files()::read);
    if (idx.isEmpty()) {
      return new Running("", 0, "unknown");
    }
    String slot = Slots.named(Integer.toHexString(idx.getAsInt())).orElse("");
    return new Running(slot, idx.getAsInt(), "mounts");
  }

  /** The os-release of the root that is not running (rollback-check-version's "previous OS"). */
  public Optional<OsRelease> inactiveRelease() throws IOException {
    if (sim()) {
      Running r = running();
      return r.slot().isEmpty() ? Optional.empty() : SimOs.release(unit.files()::read, Slots.other(r.slot()));
    }
    for (String p : DeviceOs.INACTIVE_OS_RELEASE) {
      Optional<String> t = unit.files().read(p);
      if (t.isPresent()) {
        return Optional.of(OsRelease.parse(t.get()));
      }
    }
    return Optional.empty();
  }

  /** rollback-check-version: empty when the inactive root is newer than 2.30.0, else why not (logged either way). */
  public Optional<String> checkVersion() throws IOException {
    String v = inactiveRelease().map(OsRelease::effectiveVersion).orElse("");
    if (OsVersion.greater(v, OsVersion.MIN_ROLLBACK)) {
      unit.log().info("rollbacks: Previous Host OS META_BALENA_VERSION:" + v + " OK for rollbacks.");
      return Optional.empty();
    }
    String why = "Can't rollback before " + OsVersion.MIN_ROLLBACK + ". Previous OS version is " + (v.isEmpty() ? "unknown" : v);
    unit.log().error("rollbacks: " + why);
    return Optional.of(why);
  }

  public boolean exists(String path) {
    return unit.files().exists(path);
  }

  /** The rollback files present in {@code /mnt/state}. */
  public List<String> breadcrumbs() {
    return RollbackFiles.ALL.stream().filter(this::exists).map(RollbackFiles::name).sorted().toList();
  }

  public Future<Void> touch(String path) {
    return unit.files().write(path, "", null);
  }

  public Future<Void> delete(String... paths) {
    Future<Void> chain = Future.succeededFuture();
    for (String p : paths) {
      chain = chain.compose(v -> unit.files().delete(p).mapEmpty());
    }
    return chain;
  }

  /** Tells the bootloader unit to re-read the boot state and latch a fresh {@code os.status}. */
  public void changed(String what) {
    unit.bus().publish(HostOsTopics.CHANGED, new OsChanged(unit.name(), what));
  }

  /**
   * {@code DURING_UPDATE=<d> hostapp-update-hooks}, pointing the bootloader at {@code target}
   * (the inactive root during an update, the active one when recovering). In sim: the 80-rollback
   * hook (breadcrumbs) and the bootloader hook ({@code resin_root_part}, {@code upgrade_available},
   * count reset).
   */
  public Future<Void> hooks(boolean duringUpdate, String target) {
    unit.log().info("Running hostapp-update-hooks with DURING_UPDATE=" + (duringUpdate ? 1 : 0));
    if (!sim()) {
      return DeviceOs.hooks(unit.processes(), duringUpdate).onSuccess(v -> changed("hooks"));
    }
    BootEnv env;
    try {
      env = env();
      if (SimOs.release(unit.files()::read, target).isEmpty()) {
        return Future.failedFuture("hostapp-update-hooks: slot " + target + " holds no OS");
      }
    } catch (IOException e) {
      return Future.failedFuture(e);
    }
    if (env.kind() == BootEnv.Kind.NONE) {
      return Future.failedFuture("hostapp-update-hooks: no bootloader environment under " + BootEnv.BOOT);
    }
    Future<Void> crumbs = duringUpdate
        ? touch(RollbackFiles.HEALTH_BREADCRUMB).compose(v -> touch(RollbackFiles.ALTBOOT_BREADCRUMB))
            .compose(v -> delete(RollbackFiles.HEALTH_TRIGGERED, RollbackFiles.ALTBOOT_TRIGGERED, RollbackFiles.HEALTH_FAILED))
        : delete(RollbackFiles.HEALTH_VARIABLES, RollbackFiles.ALTBOOT_BREADCRUMB, RollbackFiles.HEALTH_BREADCRUMB,
            RollbackFiles.HEALTH_TRIGGERED, RollbackFiles.ALTBOOT_TRIGGERED, RollbackFiles.HEALTH_FAILED);
    String part = Slots.rootPart(target);
    String ua = duringUpdate ? "1" : "0";
    Future<Void> boot = env.kind() == BootEnv.Kind.UBOOT
        ? unit.files().write(BootEnv.UENV, BootEnv.uEnv(part, duringUpdate), null).compose(v -> delete(BootEnv.BOOTCOUNT))
        : unit.files().write(env.file(), env.edited(Map.of("resin_root_part", part, "upgrade_available", ua,
            "bootcount", "0")), null);
    return crumbs.compose(v -> boot).onSuccess(v -> {
      unit.log().info("Switched the root partition to " + part + " (slot " + target + "), upgrade_available=" + ua);
      changed("hooks DURING_UPDATE=" + ua);
    });
  }

  /** rollback-health's {@code run_hooks_from_inactive}: the old OS's hooks with {@code DURING_UPDATE=1}. */
  public Future<Void> hooksFromInactive() {
    unit.log().info("Rollback: Running hooks from previous rootfs");
    if (!sim()) {
      return DeviceOs.hooksFromInactive(unit.processes()).onSuccess(v -> changed("hooks from inactive"));
    }
    try {
      Running r = running();
      return r.slot().isEmpty() ? Future.failedFuture("the running root is unknown") : hooks(true, Slots.other(r.slot()));
    } catch (IOException e) {
      return Future.failedFuture(e);
    }
  }

  /**
   * rollback-stop: removes the variables, both breadcrumbs and {@code rollback-health-failed},
   * clears the count and sets {@code upgrade_available=0}. Fails (after removing what it can)
   * when there is no bootloader environment, as the original's parse step exits.
   */
  public Future<Void> rollbackStop() {
    unit.log().info("Rollback: Stopping further rollbacks");
    unit.log().info("Rollback: Setting upgrade_available to 0 and removing breadcrumbs");
    Future<Void> removed = delete(RollbackFiles.HEALTH_VARIABLES, RollbackFiles.ALTBOOT_BREADCRUMB,
        RollbackFiles.HEALTH_BREADCRUMB, RollbackFiles.HEALTH_FAILED, BootEnv.BOOTCOUNT);
    return removed.compose(v -> {
      BootEnv env;
      try {
        env = env();
      } catch (IOException e) {
        return Future.failedFuture(e);
      }
      if (env.kind() == BootEnv.Kind.NONE) {
        return Future.failedFuture("rollback-stop: no bootloader environment under " + BootEnv.BOOT);
      }
      Map<String, String> edit = env.kind() == BootEnv.Kind.GRUB
          ? Map.of("bootcount", "0", "upgrade_available", "0") : Map.of("upgrade_available", "0");
      return unit.files().write(env.file(), env.edited(edit), null);
    }).onComplete(ar -> {
      if (ar.succeeded()) {
        unit.log().info("Rollback: Further rollbacks stopped");
      }
      changed("rollback-stop");
    });
  }

  /**
   * Asks for a reboot: whoever runs the device serves {@link HostOsTopics#REBOOT} (the sim
   * lifecycle); when nobody does, a device runs {@code reboot} ({@code systemctl --force reboot}
   * when {@code force}) and a sim device fails, as it has no host to reboot.
   */
  public Future<Void> reboot(String reason, boolean force) {
    return unit.bus().request(HostOsTopics.REBOOT, new RebootRequest(unit.name(), reason, force))
        .compose(a -> a.accepted() ? Future.<Void>succeededFuture() : Future.<Void>failedFuture("reboot refused: " + a.message()))
        .recover(e -> {
          if (!Bus.isNoHandler(e)) {
            return Future.failedFuture(e);
          }
          return sim() ? Future.failedFuture("reboot needed (" + reason + ") but nothing runs this sim device's "
              + "lifecycle: restart it to boot on") : DeviceOs.reboot(unit.processes(), force);
        });
  }

  /** The last host OS update, if one was made. */
  public Optional<HupRecord> lastHup() {
    try {
      return unit.files().read(RollbackFiles.LAST_HUP)
          .map(t -> JsonRecordCodec.fromJson(t.getBytes(StandardCharsets.UTF_8), HupRecord.class));
    } catch (IOException | RuntimeException e) {
      unit.log().warn("Cannot read " + RollbackFiles.LAST_HUP + ": " + e.getMessage());
      return Optional.empty();
    }
  }

  public Future<Void> saveHup(HupRecord r) {
    return unit.files().write(RollbackFiles.LAST_HUP, new String(JsonRecordCodec.toJson(r), StandardCharsets.UTF_8) + "\n", null)
        .onSuccess(v -> changed("last update " + r.outcome().name().toLowerCase()));
  }

  /** Records how the last update ended (nothing when none is in progress). */
  public Future<Void> finishHup(HupOutcome outcome, String why) {
    Optional<HupRecord> last = lastHup().filter(h -> h.outcome() == HupOutcome.IN_PROGRESS);
    return last.isEmpty() ? Future.succeededFuture() : saveHup(last.get().finish(outcome, unit.clock().now(), why));
  }

  /** The host OS status for {@code os.status} and {@code GET /v1/os}. */
  public OsStatus status() throws IOException {
    BootEnv env = env();
    Running running = running();
    String named = Slots.named(env.rootPart()).orElse("");
    List<OsSlot> slots = new ArrayList<>();
    String version = "";
    if (sim()) {
      for (String s : Slots.NAMES) {
        OsSlot slot = SimOs.slot(unit.files()::read, s, running.slot(), named);
        slots.add(slot);
        if (slot.running()) {
          version = slot.metaBalenaVersion().isEmpty() ? slot.version() : slot.metaBalenaVersion();
        }
      }
    } else {
      Optional<OsRelease> inactive = inactiveRelease();
      String other = running.slot().isEmpty() ? "" : Slots.other(running.slot());
      inactive.ifPresent(r -> slots.add(new OsSlot(other, other.isEmpty() ? 0 : Slots.partition(other), r.version(),
          r.metaBalenaVersion(), true, false, other.equals(named), "")));
    }
    if (version.isEmpty()) {
      version = unit.files().read(SimOs.OS_RELEASE).map(t -> OsRelease.parse(t).effectiveVersion()).orElse("");
    }
    if (!sim()) {
      Optional<OsRelease> mine = unit.files().read(SimOs.OS_RELEASE).map(OsRelease::parse);
      slots.add(0, new OsSlot(running.slot(), running.partition(), mine.map(OsRelease::version).orElse(""),
          mine.map(OsRelease::metaBalenaVersion).orElse(""), true, true, running.namedBy(env.rootPart()), ""));
    }
    Optional<BootDecision> d = decision();
    int limit = d.filter(x -> x.bootcountLimit() > 0).map(BootDecision::bootcountLimit)
        .orElse(env.limit(Bootloader.UBOOT_LIMIT));
    String line = d.map(BootDecision::message).orElse(describe(env, running));
    return new OsStatus(version, running.slot(), named, env.rootPart(), env.kind().label(), env.upgradeAvailable(),
        env.bootcount(), env.kind() == BootEnv.Kind.NONE ? 0 : limit, slots, breadcrumbs(), lastHup().orElse(null),
        d.map(BootDecision::boot).orElse(0), d.map(BootDecision::bootId).orElse(""), line);
  }

  private static String describe(BootEnv env, Running running) {
    if (env.kind() == BootEnv.Kind.NONE) {
      return "no bootloader environment under " + BootEnv.BOOT;
    }
    return (running.slot().isEmpty() ? "root partition " + running.partition() : "slot " + running.slot())
        + " (" + running.source() + "): resin_root_part=" + env.rootPart() + ", upgrade_available="
        + (env.upgradeAvailable() ? 1 : 0) + ", bootcount " + env.bootcount();
  }
}
