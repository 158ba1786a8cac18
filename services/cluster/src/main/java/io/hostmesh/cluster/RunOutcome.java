package io.hostmesh.cluster;

import io.vertx.core.buffer.Buffer;
import java.util.SortedMap;

/**
 * What a run gave: the results by item id (sorted, so merging them in this order gives the same
 * answer however the work was spread), the items that failed for good with why, and what the
 * coordination cost.
 *
 * @param reruns items handed out again after their worker left or failed
 * @param busBytes bytes of specs sent and results received by the coordinator (bodies only)
 */
public record RunOutcome(SortedMap<String, Buffer> results, SortedMap<String, String> failed, int workersSeen,
    int reruns, long busBytes) {
  public boolean complete() {
    return failed.isEmpty();
  }
}
