package io.hostmesh.platform.internal;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;

/**
 * The pipes a process holds open, as the kernel names them ({@code pipe:[4711]}; both ends of a
 * pipe have the same name). Tests compare these rather than counts of descriptors: a class loaded
 * for the first time may open a jar for good, which is not a leak of the code under test.
 */
final class Pipes {

  private Pipes() {
  }

  static Set<String> ours() {
    return of(ProcessHandle.current().pid());
  }

  static Set<String> of(long pid) {
    Set<String> pipes = new TreeSet<>();
    String[] fds = new File("/proc/" + pid + "/fd").list();
    for (String fd : fds == null ? new String[0] : fds) {
      try {
        String target = Files.readSymbolicLink(Path.of("/proc/" + pid + "/fd/" + fd)).toString();
        if (target.startsWith("pipe:")) {
          pipes.add(target);
        }
      } catch (IOException closedMeanwhile) {
        // closed between the listing and the look
      }
    }
    return pipes;
  }
}
