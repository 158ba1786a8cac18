package io.hostmesh.ssh;

import com.sun.jna.Library;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;
import com.sun.jna.StringArray;
import com.sun.jna.ptr.IntByReference;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;

/**
 * The few libc calls that hand an accepted connection to {@code sshd -i} as its standard input and
 * output, as systemd does for {@code Accept=yes} with {@code StandardInput=socket}: the JDK can
 * start a process only with pipes or files on its standard streams, never with a socket.
 *
 * <p>Uses {@code posix_spawnp} (what the JDK itself uses) with file actions that put the socket on
 * descriptors 0 and 1, a pipe on 2, and close every other descriptor ({@code closefrom}, glibc
 * 2.34+), with every signal at its default and none blocked. JNA rather than hand-written JNI:
 * no compiler on the device or in CI, and one jar carries the glue for x86-64 and ARM.
 */
final class NativeSpawn {
  private static final int POSIX_SPAWN_SETSIGDEF = 0x04;
  private static final int POSIX_SPAWN_SETSIGMASK = 0x08;
  private static final int O_CLOEXEC = 0x80000;
  private static final int O_NONBLOCK = 0x800;
  private static final int F_GETFL = 3;
  private static final int F_SETFL = 4;
  private static final int IPPROTO_TCP = 6;
  private static final int TCP_INFO = 11;
  /** {@code struct tcp_info}: {@code tcpi_bytes_acked} and {@code tcpi_bytes_received} (Linux 4.1+). */
  private static final int TCPI_BYTES_ACKED = 120;
  private static final int TCPI_BYTES_RECEIVED = 128;
  private static final int TCP_INFO_LENGTH = 136;
  private static final int TCP_TIME_WAIT = 6;
  private static final int TCP_CLOSE_WAIT = 8;
  private static final int TCP_LAST_ACK = 9;
  private static final int TCP_CLOSING = 11;
  private static final int ECHILD = 10;
  /** waitid(2): P_PID, WEXITED, WNOWAIT (leave the child waitable); siginfo_t is 128 bytes. */
  private static final int P_PID = 1;
  private static final int WEXITED = 4;
  private static final int WNOWAIT = 0x01000000;
  private static final int SIGINFO_SIZE = 128;
  private static final int EINTR = 4;
  private static final int PRIO_PROCESS = 0;

  /** libc, as glibc declares it (sizes of the opaque types rounded up generously). */
  interface LibC extends Library {
    int posix_spawn_file_actions_init(Pointer actions);

    int posix_spawn_file_actions_destroy(Pointer actions);

    int posix_spawn_file_actions_adddup2(Pointer actions, int fd, int newFd);

    int posix_spawn_file_actions_addclosefrom_np(Pointer actions, int from);

    int posix_spawnattr_init(Pointer attr);

    int posix_spawnattr_destroy(Pointer attr);

    int posix_spawnattr_setflags(Pointer attr, short flags);

    int posix_spawnattr_setsigmask(Pointer attr, Pointer set);

    int posix_spawnattr_setsigdefault(Pointer attr, Pointer set);

    int sigemptyset(Pointer set);

    int sigfillset(Pointer set);

    int posix_spawnp(IntByReference pid, String file, Pointer actions, Pointer attr, StringArray argv, StringArray envp);

    int waitpid(int pid, IntByReference status, int options);

    int waitid(int idtype, int id, Pointer infop, int options);

    int kill(int pid, int signal);

    int getsockopt(int fd, int level, int name, Pointer value, IntByReference length);

    int pipe2(int[] fds, int flags);

    int dup(int fd);

    int fcntl(int fd, int cmd, Object... args);

    int close(int fd);

    int setpriority(int which, int who, int prio);

    int getpriority(int which, int who);
  }

  private static final LibC LIBC;
  private static final String UNAVAILABLE;

  static {
    LibC lib = null;
    String why = null;
    try {
      lib = Native.load("c", LibC.class);
      // glibc 2.34+; without it a spawned sshd would inherit every descriptor of the JVM
      NativeLibrary.getInstance("c").getFunction("posix_spawn_file_actions_addclosefrom_np");
    } catch (Throwable e) {
      lib = null;
      why = "libc without posix_spawn_file_actions_addclosefrom_np (glibc 2.34+) or JNA unusable: " + e;
    }
    LIBC = lib;
    UNAVAILABLE = why;
  }

  /** A started process: its pid and the read end of its standard error. */
  record Spawned(int pid, InputStream stderr) {}

  private NativeSpawn() {}

  /** Null when usable, else why not. */
  static String unavailableReason() {
    return UNAVAILABLE;
  }

  /**
   * Starts {@code argv} (looked up on PATH) with {@code socketFd} as its standard input and output.
   * The caller keeps its own {@code socketFd}.
   */
  static Spawned spawn(int socketFd, List<String> argv, Map<String, String> env) throws IOException {
    int[] err = new int[2];
    check(LIBC.pipe2(err, O_CLOEXEC) == 0 ? 0 : Native.getLastError(), "pipe2");
    InputStream stderr;
    try {
      // a stream of our own on the read end (Java cannot adopt a raw descriptor)
      stderr = new FileInputStream("/proc/self/fd/" + err[0]);
    } catch (IOException e) {
      LIBC.close(err[0]);
      LIBC.close(err[1]);
      throw e;
    }
    boolean started = false;
    Memory actions = new Memory(256);
    Memory attr = new Memory(512);
    Memory none = new Memory(128);
    Memory all = new Memory(128);
    actions.clear();
    attr.clear();
    try {
      check(LIBC.posix_spawn_file_actions_init(actions), "posix_spawn_file_actions_init");
      check(LIBC.posix_spawnattr_init(attr), "posix_spawnattr_init");
      try {
        check(LIBC.posix_spawn_file_actions_adddup2(actions, socketFd, 0), "adddup2 stdin");
        check(LIBC.posix_spawn_file_actions_adddup2(actions, socketFd, 1), "adddup2 stdout");
        check(LIBC.posix_spawn_file_actions_adddup2(actions, err[1], 2), "adddup2 stderr");
        check(LIBC.posix_spawn_file_actions_addclosefrom_np(actions, 3), "addclosefrom_np");
        LIBC.sigemptyset(none);
        LIBC.sigfillset(all);
        check(LIBC.posix_spawnattr_setsigmask(attr, none), "setsigmask");
        check(LIBC.posix_spawnattr_setsigdefault(attr, all), "setsigdefault");
        check(LIBC.posix_spawnattr_setflags(attr, (short) (POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK)), "setflags");
        String[] envp = env.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toArray(String[]::new);
        IntByReference pid = new IntByReference();
        int rc = LIBC.posix_spawnp(pid, argv.get(0), actions, attr, new StringArray(argv.toArray(String[]::new)),
            new StringArray(envp));
        if (rc != 0) {
          throw new IOException("cannot run " + argv.get(0) + ": errno " + rc);
        }
        started = true;
        return new Spawned(pid.getValue(), stderr);
      } finally {
        LIBC.posix_spawn_file_actions_destroy(actions);
        LIBC.posix_spawnattr_destroy(attr);
      }
    } finally {
      // the parent's copy of the write end goes, so stderr ends when the process does
      LIBC.close(err[1]);
      LIBC.close(err[0]);
      if (!started) {
        stderr.close();
      }
    }
  }

  /**
   * Blocks until the child has exited, without reaping it: its pid stays ours (a zombie) until
   * {@link #waitFor} reaps it, so a signal sent before that can never reach a reused pid.
   */
  static void awaitExit(int pid) {
    try (Memory info = new Memory(SIGINFO_SIZE)) {
      while (LIBC.waitid(P_PID, pid, info, WEXITED | WNOWAIT) != 0 && Native.getLastError() == EINTR) {
        // interrupted by a signal: wait again
      }
    }
  }

  /**
   * Lowers the CPU priority of {@code pid}, a child just spawned, to {@code nice} (never raises
   * it); what it starts after inherits it. False when it could not be set (no libc here, or
   * refused). The child runs at the mesh's priority only for the moment between its exec and this
   * call, before any connection byte is read.
   *
   * <p>The child is lowered, not the thread that spawns it: a JVM thread at a low priority that
   * is runnable in Java code while the CPU is busy (a burst of key exchanges) holds up every
   * safepoint, the event loops' too. Measured: with 50 sessions at once, the nice pool threads
   * kept a safepoint waiting 38 ms.
   */
  static boolean lowerPriority(int pid, int nice) {
    if (LIBC == null) {
      return false;
    }
    // glibc returns the nice value itself, and -1 is a value as well as the error
    Native.setLastError(0);
    int current = LIBC.getpriority(PRIO_PROCESS, pid);
    if (current == -1 && Native.getLastError() != 0) {
      return false;
    }
    // already at or below it (a JVM started under nice: its children start lower)
    return current >= nice || LIBC.setpriority(PRIO_PROCESS, pid, nice) == 0;
  }

  /** Sends {@code signal} to the child; call only while it is not reaped (see {@link #awaitExit}). */
  static void signal(int pid, int signal) {
    LIBC.kill(pid, signal);
  }

  /**
   * Blocks until the child exits and reaps it: its exit code, or 128 + the signal that ended it
   * (as {@link Process#exitValue()}).
   */
  static int waitFor(int pid) {
    IntByReference status = new IntByReference();
    while (true) {
      int r = LIBC.waitpid(pid, status, 0);
      if (r == pid) {
        int s = status.getValue();
        int signal = s & 0x7f;
        return signal == 0 ? (s >> 8) & 0xff : 128 + signal;
      }
      int errno = Native.getLastError();
      if (errno != EINTR) {
        // ECHILD: reaped elsewhere; nothing more can be learned
        return errno == ECHILD ? -1 : -errno;
      }
    }
  }

  /**
   * A descriptor of its own for the same connection, in blocking mode: the mode belongs to the
   * connection, not the descriptor, and programs such as sshd expect what systemd gives them.
   */
  static int dupBlocking(int fd) throws IOException {
    int copy = LIBC.dup(fd);
    if (copy < 0) {
      throw new IOException("dup: errno " + Native.getLastError());
    }
    int flags = LIBC.fcntl(copy, F_GETFL);
    if (flags < 0 || LIBC.fcntl(copy, F_SETFL, flags & ~O_NONBLOCK) < 0) {
      int errno = Native.getLastError();
      LIBC.close(copy);
      throw new IOException("fcntl: errno " + errno);
    }
    return copy;
  }

  static void close(int fd) {
    LIBC.close(fd);
  }

  /** {bytes received from the peer, bytes sent and acknowledged by it}; zeros when unknown. */
  static long[] tcpBytes(int fd) {
    Memory info = new Memory(256);
    info.clear();
    IntByReference length = new IntByReference(256);
    if (LIBC.getsockopt(fd, IPPROTO_TCP, TCP_INFO, info, length) != 0 || length.getValue() < TCP_INFO_LENGTH) {
      return new long[] {0, 0};
    }
    // the kernel counts the peer's FIN as one byte received; our own FIN is not sent yet
    int state = info.getByte(0);
    boolean finReceived = state == TCP_TIME_WAIT || state == TCP_CLOSE_WAIT || state == TCP_LAST_ACK || state == TCP_CLOSING;
    return new long[] {info.getLong(TCPI_BYTES_RECEIVED) - (finReceived ? 1 : 0), info.getLong(TCPI_BYTES_ACKED)};
  }

  private static void check(int rc, String what) throws IOException {
    if (rc != 0) {
      throw new IOException(what + " failed: errno " + rc);
    }
  }
}
