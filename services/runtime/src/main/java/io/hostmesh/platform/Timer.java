package io.hostmesh.platform;

/** A scheduled task that can be cancelled. */
public interface Timer {
  /** Cancels the task; returns false when it already ran or was cancelled. */
  boolean cancel();
}
