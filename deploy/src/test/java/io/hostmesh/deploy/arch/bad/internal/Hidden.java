package io.hostmesh.deploy.arch.bad.internal;

/** An internal class of a pretend module (ArchitectureTest). */
public final class Hidden {
  private Hidden() {}

  public static int secret() {
    return 42;
  }
}
