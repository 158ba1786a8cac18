package io.hostmesh.chrony.archbad;

import io.hostmesh.ssh.SshSocketUnit;

/** Deliberately bad (ArchitectureTest): a chrony-bridge class that imports ssh-socket. Never used. */
public final class ChronyImportsSsh {
  private ChronyImportsSsh() {}

  public static String name(SshSocketUnit unit) {
    return unit.descriptor().name();
  }
}
