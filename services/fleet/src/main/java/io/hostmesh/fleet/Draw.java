package io.hostmesh.fleet;

/**
 * Deterministic draws from the fleet's seed: SplitMix64 over (seed, salt, device id), so what a
 * device is (its mix, whether an event picks it) depends on the seed and its id alone, never on
 * the partition it runs in or on what other devices drew.
 */
final class Draw {
  private Draw() {}

  static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
    return z ^ (z >>> 31);
  }

  /** A 64-bit hash of the three. */
  static long hash(long seed, long salt, long id) {
    return mix(mix(mix(seed + 0x9E3779B97F4A7C15L) ^ salt) + id * 0x9E3779B97F4A7C15L);
  }

  /** A uniform number in [0, 1). */
  static double unit(long seed, long salt, long id) {
    return (hash(seed, salt, id) >>> 11) * 0x1.0p-53;
  }

  /** A uniform number in [min, max]. */
  static double between(double min, double max, double u) {
    return min + (max - min) * u;
  }
}
