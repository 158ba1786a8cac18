package io.hostmesh.units.fleet;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/** Live threads, open file descriptors and heap in use after garbage collection, of this JVM. */
record Resources(int threads, long fds, long heapBytes) {
  /** Heap after several collections (the least seen: a collection may run while something allocates). */
  static Resources settled() {
    long heap = Long.MAX_VALUE;
    for (int i = 0; i < 5; i++) {
      System.gc();
      heap = Math.min(heap, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
    }
    return new Resources(ManagementFactory.getThreadMXBean().getThreadCount(), openFds(), heap);
  }

  static long openFds() {
    try (var s = Files.list(Path.of("/proc/self/fd"))) {
      return s.count();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public String toString() {
    return threads + " threads, " + fds + " fds, " + heapBytes / 1024 + " KB heap";
  }
}
