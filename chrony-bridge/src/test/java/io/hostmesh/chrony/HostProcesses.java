package io.hostmesh.chrony;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** What the tests check about processes: zombies of this JVM, and chronyd processes of a device root. */
final class HostProcesses {
  private HostProcesses() {}

  /** Children of this JVM in state Z (exited, not reaped). */
  static List<Long> zombieChildren() throws IOException {
    long self = ProcessHandle.current().pid();
    List<Long> out = new ArrayList<>();
    try (var dirs = Files.list(Path.of("/proc"))) {
      for (Path d : dirs.filter(p -> p.getFileName().toString().chars().allMatch(Character::isDigit)).toList()) {
        try {
          String stat = Files.readString(d.resolve("stat"));
          // pid (comm) state ppid ...: comm may hold spaces, so parse after the last ')'
          String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
          if (f[0].equals("Z") && Long.parseLong(f[1]) == self) {
            out.add(Long.parseLong(d.getFileName().toString()));
          }
        } catch (IOException | RuntimeException e) {
          // the process went away while we looked
        }
      }
    }
    return out;
  }

  /** Live processes whose command line mentions {@code text} (e.g. a device root). */
  static List<ProcessHandle> withArgument(String text) {
    return ProcessHandle.allProcesses()
        .filter(p -> p.info().commandLine().map(c -> c.contains(text)).orElse(false)
            || p.info().arguments().map(a -> String.join(" ", a).contains(text)).orElse(false))
        .filter(ProcessHandle::isAlive)
        .toList();
  }

  /** The pid in a pid file, if any. */
  static Optional<Long> pidIn(Path pidFile) {
    try {
      return Optional.of(Long.parseLong(Files.readString(pidFile).trim()));
    } catch (IOException | NumberFormatException e) {
      return Optional.empty();
    }
  }
}
