package io.hostmesh.fleet;

import io.vertx.core.Future;

/**
 * Runs one partition of a fleet to its end and completes with what it measured. A runner gives
 * the same result for the same {@link PartitionSpec} wherever and whenever it runs: the result
 * depends on the spec alone (issue 15 hands specs to other JVMs and merges what comes back).
 */
@FunctionalInterface
public interface PartitionRunner {
  Future<PartitionResult> run(PartitionSpec spec);
}
