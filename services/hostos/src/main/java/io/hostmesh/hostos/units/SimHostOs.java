package io.hostmesh.hostos.units;

import java.io.IOException;
import io.hostmesh.hostos.HostOs;
import io.hostmesh.unit.UnitContext;
import io.hostmesh.hostos.SimOs;
import io.hostmesh.platform.Profile;
import io.hostmesh.unit.Condition;

/** What the sim stand-ins share: their condition and the running slot's {@code --break}. */
final class SimHostOs {
  private SimHostOs() {}

  /** The {@code hostmesh sim hup --break} words of the slot running now ("" when none or no slot). */
  static String runningBreak(UnitContext unit) throws IOException {
    HostOs.Running r = new HostOs(unit).running();
    return r.slot().isEmpty() ? "" : SimOs.broken(unit.files()::read, r.slot());
  }

  /** A simulated device with an A/B host OS laid out (slot a holds an OS). */
  static final Condition PRESENT = new Condition("sim A/B host OS",
      p -> p.profile() == Profile.SIM && p.files().exists(SimOs.path("a", SimOs.SLOT_OS_RELEASE)));
}
