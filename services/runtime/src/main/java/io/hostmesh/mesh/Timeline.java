package io.hostmesh.mesh;

import io.hostmesh.schema.unit.UnitStateChanged;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * The last {@code capacity} entries of a mesh's timeline, oldest first: every unit state change
 * and every clock set ({@link ClockSetEntry}). A ring, so a device that runs for months (a unit
 * restarted every 10 s writes 3 entries each time) holds a bounded history. The size is the
 * setting {@code timeline.size} (default {@value #DEFAULT_CAPACITY}), both kinds together.
 *
 * <p>Threading: written on the mesh context and the bus's delivery threads, read from any thread
 * (HTTP API, tests).
 */
final class Timeline {
  static final int DEFAULT_CAPACITY = 4096;

  private final int capacity;
  /** {@link UnitStateChanged} and {@link ClockSetEntry}, in the order they happened. */
  private final ArrayDeque<Object> ring;
  private long dropped;

  Timeline(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("timeline.size must be at least 1: " + capacity);
    }
    this.capacity = capacity;
    this.ring = new ArrayDeque<>(Math.min(capacity, 256));
  }

  synchronized void add(UnitStateChanged change) {
    append(change);
  }

  synchronized void add(ClockSetEntry set) {
    append(set);
  }

  private void append(Object entry) {
    if (ring.size() == capacity) {
      ring.pollFirst();
      dropped++;
    }
    ring.addLast(entry);
  }

  /** The unit state changes only, oldest first. */
  synchronized List<UnitStateChanged> snapshot() {
    List<UnitStateChanged> out = new ArrayList<>(ring.size());
    for (Object e : ring) {
      if (e instanceof UnitStateChanged c) {
        out.add(c);
      }
    }
    return List.copyOf(out);
  }

  /** Every entry, state changes and clock sets, oldest first. */
  synchronized List<Object> entries() {
    return List.copyOf(ring);
  }

  int capacity() {
    return capacity;
  }

  /** Changes that fell out of the ring since start. */
  synchronized long dropped() {
    return dropped;
  }
}
