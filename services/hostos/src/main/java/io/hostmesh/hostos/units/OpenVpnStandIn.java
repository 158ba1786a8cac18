package io.hostmesh.hostos.units;

import io.hostmesh.hostos.HostOs;
import io.hostmesh.hostos.RollbackFiles;
import io.hostmesh.unit.UnitDescriptor;
import io.hostmesh.unit.UnitVerticle;
import io.vertx.core.Future;
import java.io.IOException;

/**
 * openvpn (sim stand-in): "connects" at start by writing {@code /run/openvpn/vpn_status/active},
 * as openvpn's up script does, and removes it at stop; hostapp-update and rollback-health read
 * that file. It never connects when the running slot was written by
 * {@code hostmesh sim hup --break vpn}, or when the setting {@code units.openvpn.connect} is
 * false (a device whose VPN is offline). Skipped on a real device and on a sim device without an
 * A/B host OS.
 */
public final class OpenVpnStandIn extends UnitVerticle {
  public static final UnitDescriptor DESCRIPTOR = UnitDescriptor.named("openvpn")
      .description("Sim stand-in for the VPN: connects unless the slot's --break says vpn")
      .service()
      .after("bootloader")
      .condition(SimHostOs.PRESENT)
      .build();

  private boolean connected;

  @Override
  public UnitDescriptor descriptor() {
    return DESCRIPTOR;
  }

  @Override
  public Future<?> start() {
    String broken;
    try {
      broken = SimHostOs.runningBreak(unit());
    } catch (IOException e) {
      return Future.failedFuture(e);
    }
    if (broken.contains("vpn")) {
      unit().log().error("VPN connection failed: the VPN of this OS is broken (hup --break vpn)");
      unit().status("not connected (hup --break vpn)");
      return unit().files().delete(RollbackFiles.VPN_ACTIVE);
    }
    if (!unit().settings().getBoolean("connect", true)) {
      unit().log().info("VPN offline (units.openvpn.connect is false)");
      unit().status("offline (units.openvpn.connect=false)");
      return unit().files().delete(RollbackFiles.VPN_ACTIVE);
    }
    return unit().files().write(RollbackFiles.VPN_ACTIVE, "", null).onSuccess(v -> {
      connected = true;
      unit().log().info("Initialization Sequence Completed (simulated VPN connected)");
      unit().status("connected (simulated)");
    });
  }

  @Override
  public Future<?> stop() {
    return connected ? unit().files().delete(RollbackFiles.VPN_ACTIVE) : Future.succeededFuture();
  }
}
