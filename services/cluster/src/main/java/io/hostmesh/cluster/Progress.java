package io.hostmesh.cluster;

/** A run's progress as the coordinator sees it. */
public record Progress(int workers, int total, int done, int failed, int running, int reruns) {
  public String line() {
    return "workers " + workers + ", partitions " + done + "/" + total + " done"
        + (running > 0 ? ", " + running + " running" : "") + (failed > 0 ? ", " + failed + " failed" : "")
        + (reruns > 0 ? ", " + reruns + " re-run" : "");
  }
}
