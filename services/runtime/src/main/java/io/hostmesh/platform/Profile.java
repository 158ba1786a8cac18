package io.hostmesh.platform;

/** Where the mesh runs (architecture.md, "profile"). */
public enum Profile {
  /** A real device: the kernel clock, real daemons, files under {@code /}. */
  DEVICE,
  /** A simulated device: an offset clock, files under a device root, daemons that never touch the host. */
  SIM;

  public String label() {
    return name().toLowerCase();
  }
}
