package io.hostmesh.cluster;

import io.vertx.core.buffer.Buffer;

/**
 * One partition's worth of work: an id unique in the run (results are merged in id order, so the
 * order workers finish in never shows), the kind of runner it needs, and its spec as bytes.
 */
public record WorkItem(String id, String kind, Buffer spec) {
  public WorkItem {
    if (id == null || id.isBlank() || kind == null || kind.isBlank() || spec == null) {
      throw new IllegalArgumentException("a work item needs an id, a kind and a spec");
    }
  }
}
