package io.hostmesh.platform;

import java.util.List;

/**
 * The outcome of a finished command.
 *
 * @param argv what ran
 * @param exitCode its exit code (0 for a recorded command, 124 when it timed out)
 * @param stdout standard output
 * @param stderr standard error (after a timeout, first a line saying so)
 * @param recorded true when the sim profile recorded the command instead of running it
 * @param timedOut true when the command did not finish within its timeout and was killed with
 *     its descendants (or finished but left a process holding its output open)
 */
public record ProcessResult(List<String> argv, int exitCode, String stdout, String stderr, boolean recorded,
    boolean timedOut) {
  /** A result of a command that finished (or was recorded) in time. */
  public ProcessResult(List<String> argv, int exitCode, String stdout, String stderr, boolean recorded) {
    this(argv, exitCode, stdout, stderr, recorded, false);
  }

  public boolean ok() {
    return exitCode == 0 && !timedOut;
  }
}
