package io.hostmesh.ssh;

import io.hostmesh.platform.Profile;
import io.hostmesh.unit.Condition;

/**
 * The host programs the SSH units run. A simulated device on a machine without them (a fresh
 * machine with only a JDK) skips the unit, saying which Debian package brings the program, as
 * chronyd's unit is skipped without chronyd; a real device without them is broken, so there the
 * condition holds and the unit fails naming the program.
 */
final class SimPrograms {
  private SimPrograms() {}

  /** Holds on a device; in sim, holds when {@code program} is on the PATH (or in /usr/sbin, /sbin). */
  static Condition installedInSim(String program, String debianPackage) {
    return new Condition("program " + program + " installed (sim; Debian package " + debianPackage + ")",
        p -> p.profile() != Profile.SIM || p.processes().available(program));
  }
}
