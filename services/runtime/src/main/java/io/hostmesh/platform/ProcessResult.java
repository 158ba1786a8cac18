package io.hostmesh.platform;

import java.util.List;

/**
 * The outcome of a finished command.
 *
 * @param argv what ran
 * @param exitCode its exit code (0 for a recorded command)
 * @param stdout standard output
 * @param stderr standard error
 * @param recorded true when the sim profile recorded the command instead of running it
 */
public record ProcessResult(List<String> argv, int exitCode, String stdout, String stderr, boolean recorded) {
  public boolean ok() {
    return exitCode == 0;
  }
}
