package io.hostmesh.mesh;

import java.util.List;

/** The unit graph cannot start: each problem names the units involved. */
public final class MeshException extends RuntimeException {
  private final List<String> problems;

  public MeshException(List<String> problems) {
    super(String.join("; ", problems));
    this.problems = List.copyOf(problems);
  }

  public List<String> problems() {
    return problems;
  }
}
