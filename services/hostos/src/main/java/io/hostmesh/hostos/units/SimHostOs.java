package io.hostmesh.hostos.units;

import io.hostmesh.hostos.SimOs;
import io.hostmesh.platform.Profile;
import io.hostmesh.unit.Condition;

/** Conditions shared by the sim stand-ins. */
final class SimHostOs {
  private SimHostOs() {}

  /** A simulated device with an A/B host OS laid out (slot a holds an OS). */
  static final Condition PRESENT = new Condition("sim A/B host OS",
      p -> p.profile() == Profile.SIM && p.files().exists(SimOs.path("a", SimOs.SLOT_OS_RELEASE)));
}
