package io.hostmesh.configwatch;

import com.sun.jna.Library;
import com.sun.jna.Native;
import io.hostmesh.platform.LoopDescriptor;
import io.netty.channel.IoEventLoop;
import io.netty.channel.unix.FileDescriptor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * The folder watch of {@link ConfigFileWatch} without a thread: an inotify descriptor registered
 * on the unit's own event loop when Vert.x runs on Netty's epoll transport (the device's
 * default). The JDK's watch service needs two threads per watch (its poller and one waiting in
 * {@code take()}); here the loop that runs the unit reads the events when the kernel has some.
 * Reports the same events: config.json created, modified (contents or attributes), moved in or
 * out, deleted; a queue overflow; and, once, the folder itself gone.
 *
 * <p>Threading: {@link #start} and {@link #close} on the context's event loop; the callbacks run
 * on it too.
 */
final class InotifyWatch extends LoopDescriptor implements FolderWatch {
  private static final int IN_NONBLOCK = 0x800;
  private static final int IN_CLOEXEC = 0x80000;
  private static final int IN_MODIFY = 0x2;
  private static final int IN_ATTRIB = 0x4;
  private static final int IN_MOVED_FROM = 0x40;
  private static final int IN_MOVED_TO = 0x80;
  private static final int IN_CREATE = 0x100;
  private static final int IN_DELETE = 0x200;
  private static final int IN_Q_OVERFLOW = 0x4000;
  private static final int IN_IGNORED = 0x8000;
  private static final int IN_ONLYDIR = 0x1000000;
  /** What the JDK's ENTRY_CREATE, ENTRY_MODIFY and ENTRY_DELETE map to on Linux. */
  private static final int MASK = IN_MODIFY | IN_ATTRIB | IN_MOVED_FROM | IN_MOVED_TO | IN_CREATE | IN_DELETE;
  /** {@code struct inotify_event} before its name. */
  private static final int HEADER = 16;

  interface LibC extends Library {
    int inotify_init1(int flags);

    int inotify_add_watch(int fd, String path, int mask);
  }

  private static volatile LibC libc;

  private final Path dir;
  private final byte[] fileName;
  private final Runnable onChange;
  private final Consumer<String> onLost;
  private final ByteBuffer buffer = ByteBuffer.allocateDirect(16 * 1024).order(ByteOrder.nativeOrder());
  /** Events read so far (tests: that an event about another file was seen and not reported). */
  private volatile int eventsRead;

  private InotifyWatch(FileDescriptor fd, Path dir, String fileName, Runnable onChange, Consumer<String> onLost) {
    super(fd);
    this.dir = dir;
    this.fileName = fileName.getBytes(StandardCharsets.UTF_8);
    this.onChange = onChange;
    this.onLost = onLost;
  }

  /**
   * Watches {@code dir} on {@code loop}; events from the moment this returns are reported.
   *
   * @throws IOException when inotify refuses (no such folder, no watches left), with why
   */
  static InotifyWatch start(IoEventLoop loop, Path dir, String fileName, Runnable onChange, Consumer<String> onLost)
      throws IOException {
    LibC c = libc();
    int raw = c.inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
    if (raw < 0) {
      throw new IOException("inotify_init1: errno " + Native.getLastError());
    }
    FileDescriptor fd = new FileDescriptor(raw);
    if (c.inotify_add_watch(raw, dir.toString(), MASK | IN_ONLYDIR) < 0) {
      int errno = Native.getLastError();
      fd.close();
      throw new IOException("inotify_add_watch " + dir + ": errno " + errno
          + (errno == 2 ? " (no such folder)" : errno == 28 ? " (no inotify watches left)" : ""));
    }
    InotifyWatch w = new InotifyWatch(fd, dir, fileName, onChange, onLost);
    w.register(loop);
    return w;
  }

  /**
   * Loads JNA and libc's inotify calls: blocking (JNA's first load unpacks and links its native
   * part, tens of milliseconds), so the unit does it on a worker before {@link #start}. Whether
   * inotify can be used here; when not, the caller keeps the JDK's watch service.
   */
  static boolean load() {
    try {
      libc();
      return true;
    } catch (LinkageError | RuntimeException e) {
      return false;
    }
  }

  /** Whether {@link #load()} has succeeded in this JVM. */
  static boolean loaded() {
    return libc != null;
  }

  private static LibC libc() {
    LibC c = libc;
    if (c == null) {
      c = Native.load("c", LibC.class);
      libc = c;
    }
    return c;
  }

  /** Reads every event queued; reports once per read if any was about the file. */
  @Override
  protected void readable() {
    boolean relevant = false;
    boolean lost = false;
    try {
      int n;
      while ((n = fd().read(buffer, 0, buffer.capacity())) > 0) {
        for (int at = 0; at + HEADER <= n; ) {
          int mask = buffer.getInt(at + 4);
          int len = buffer.getInt(at + 12);
          relevant |= (mask & IN_Q_OVERFLOW) != 0 || ((mask & MASK) != 0 && named(at + HEADER, len));
          lost |= (mask & IN_IGNORED) != 0;
          eventsRead++;
          at += HEADER + len;
        }
      }
    } catch (IOException e) {
      lost = true;
    }
    if (relevant && !closed()) {
      onChange.run();
    }
    if (lost && !closed()) {
      close();
      onLost.accept(dir + " is gone; the watch on it ended");
    }
  }

  /** Whether the NUL-padded name at {@code at} is the file's. */
  private boolean named(int at, int len) {
    if (len < fileName.length || (len > fileName.length && buffer.get(at + fileName.length) != 0)) {
      return false;
    }
    for (int i = 0; i < fileName.length; i++) {
      if (buffer.get(at + i) != fileName[i]) {
        return false;
      }
    }
    return true;
  }

  int eventsRead() {
    return eventsRead;
  }
}
