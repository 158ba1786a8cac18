package io.hostmesh.cluster;

/**
 * A run's progress as the coordinator sees it.
 *
 * @param reached how far the least advanced running item has got, as its executor measures it, or
 *     -1 when none runs
 * @param furthest how far the most advanced running item has got, or -1
 */
public record Progress(int workers, int total, int done, int failed, int running, int reruns, long reached, long furthest) {
  public String line() {
    return "workers " + workers + ", partitions " + done + "/" + total + " done"
        + (running > 0 ? ", " + running + " running" : "") + (failed > 0 ? ", " + failed + " failed" : "")
        + (reruns > 0 ? ", " + reruns + " re-run" : "");
  }
}
