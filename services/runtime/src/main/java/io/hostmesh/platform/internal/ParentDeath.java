package io.hostmesh.platform.internal;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Long-running programs die with the JVM, however it ends. A shutdown hook ends them on SIGTERM,
 * but SIGKILL runs no hook, and chronyd then lived on as an orphan holding the device's pid file
 * and socket. The kernel's parent-death signal ({@code PR_SET_PDEATHSIG}) covers that case, but a
 * JVM cannot set it between fork and exec, so the program is started through util-linux's
 * {@code setpriv --pdeathsig KILL}, which sets it on itself and then becomes the program (same
 * pid, same argv for the program). Without setpriv (not Linux, not util-linux 2.33+) programs
 * are started as they are, and the device's start recognises its own stale daemons instead
 * (chrony-bridge does so for chronyd).
 *
 * <p>The signal fires when the <em>thread</em> that started the process ends, not the process,
 * so every long-running program is started on {@link #SPAWNER}, one thread that lives as long as
 * the JVM (its tasks never throw, so it is never replaced).
 */
public final class ParentDeath {
  /** The thread long-running programs are started on. */
  static final ExecutorService SPAWNER = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "hostmesh-spawner");
    t.setDaemon(true);
    return t;
  });

  private static volatile Boolean available;

  private ParentDeath() {}

  /** {@code argv} behind {@code setpriv --pdeathsig KILL --} when setpriv can do it, else as it is. */
  static List<String> wrap(List<String> argv) {
    if (!available()) {
      return argv;
    }
    List<String> out = new ArrayList<>(List.of("setpriv", "--pdeathsig", "KILL", "--"));
    out.addAll(argv);
    return out;
  }

  /** Whether setpriv is installed and knows {@code --pdeathsig}; asked once per JVM. */
  public static boolean available() {
    Boolean a = available;
    if (a == null) {
      a = probe();
      available = a;
    }
    return a;
  }

  private static boolean probe() {
    if (!LocalProcesses.onPath("setpriv")) {
      return false;
    }
    try {
      Process p = new ProcessBuilder("setpriv", "--pdeathsig", "KILL", "--", "true")
          .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
      if (!p.waitFor(5, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return false;
      }
      return p.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
