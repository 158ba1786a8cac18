package io.hostmesh.deploy.arch.bad;

import io.hostmesh.deploy.arch.bad.internal.Hidden;

/** Uses another pretend module's internal class (ArchitectureTest). Never used. */
public final class Outsider {
  private Outsider() {}

  public static int peek() {
    return Hidden.secret();
  }
}
