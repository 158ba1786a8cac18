package io.hostmesh.hostos.units;

import io.hostmesh.bus.Subscription;
import io.hostmesh.hostos.HostOs;
import io.hostmesh.schema.hostos.BootDecision;
import io.hostmesh.schema.hostos.HostOsTopics;
import io.hostmesh.schema.hostos.OsStatus;
import io.hostmesh.unit.UnitDescriptor;
import io.hostmesh.unit.UnitVerticle;
import io.vertx.core.Future;
import java.io.IOException;

/**
 * bootloader: reports what the bootloader decided for this boot and keeps {@code os.status}
 * (the slots, versions, bootcount, breadcrumbs, last update) current. Its status line, and so
 * the timeline, carries the decision ("balenaOS 2.89.0 on slot b — slot b (2.89.0):
 * upgrade_available=1, bootcount 1/3"); the bootloader's console lines of this boot and of any
 * failed attempts before it are logged. In sim the decision comes from the sim lifecycle
 * ({@code os.boot}); on a device (or a sim device without a lifecycle) it reads the boot
 * partition and the mounts.
 *
 * <p>Threading: everything runs on the unit's event loop; the files it reads are a few bytes.
 */
public final class BootloaderUnit extends UnitVerticle {
  public static final UnitDescriptor DESCRIPTOR = UnitDescriptor.named("bootloader")
      .description("A/B host OS: the bootloader's decision and the OS status")
      .service()
      .publishes(HostOsTopics.STATUS)
      .build();

  private Subscription changes;
  private String lastDetail = "";

  @Override
  public UnitDescriptor descriptor() {
    return DESCRIPTOR;
  }

  @Override
  public Future<?> start() {
    HostOs os = new HostOs(unit());
    os.decision().ifPresent(this::logConsole);
    changes = unit().bus().subscribe(HostOsTopics.CHANGED, c -> refresh(os));
    return changes.completion().compose(v -> refresh(os));
  }

  @Override
  public Future<?> stop() {
    return changes == null ? Future.succeededFuture() : changes.cancel();
  }

  private void logConsole(BootDecision d) {
    for (String line : d.console()) {
      if (line.contains("Kernel panic")) {
        unit().log().error(line);
      } else if (line.contains("WARNING!")) {
        unit().log().warn(line);
      } else {
        unit().log().info(line);
      }
    }
    unit().log().info("Boot " + d.boot() + " (" + d.bootId() + "): " + d.message());
  }

  private Future<Void> refresh(HostOs os) {
    OsStatus s;
    try {
      s = os.status();
    } catch (IOException | RuntimeException e) {
      unit().log().error("Cannot read the host OS state: " + e.getMessage());
      return Future.failedFuture("cannot read the host OS state: " + e.getMessage());
    }
    unit().bus().publish(HostOsTopics.STATUS, s);
    String detail = (s.version().isEmpty() ? "no balenaOS version" : "balenaOS " + s.version())
        + (s.activeSlot().isEmpty() ? "" : " on slot " + s.activeSlot()) + " — " + s.decision();
    if (!detail.equals(lastDetail)) {
      lastDetail = detail;
      unit().status(detail);
    }
    return Future.succeededFuture();
  }
}
