package io.hostmesh.mesh;

import io.hostmesh.schema.unit.UnitStateChanged;
import java.util.ArrayDeque;
import java.util.List;

/**
 * The last {@code capacity} state changes of a mesh, oldest first: a ring, so a device that runs
 * for months (a unit restarted every 10 s writes 3 entries each time) holds a bounded history.
 * The size is the setting {@code timeline.size} (default {@value #DEFAULT_CAPACITY}).
 *
 * <p>Threading: written on the mesh context, read from any thread (HTTP API, tests).
 */
final class Timeline {
  static final int DEFAULT_CAPACITY = 4096;

  private final int capacity;
  private final ArrayDeque<UnitStateChanged> ring;
  private long dropped;

  Timeline(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("timeline.size must be at least 1: " + capacity);
    }
    this.capacity = capacity;
    this.ring = new ArrayDeque<>(Math.min(capacity, 256));
  }

  synchronized void add(UnitStateChanged change) {
    if (ring.size() == capacity) {
      ring.pollFirst();
      dropped++;
    }
    ring.addLast(change);
  }

  synchronized List<UnitStateChanged> snapshot() {
    return List.copyOf(ring);
  }

  /** Changes that fell out of the ring since start. */
  synchronized long dropped() {
    return dropped;
  }
}
