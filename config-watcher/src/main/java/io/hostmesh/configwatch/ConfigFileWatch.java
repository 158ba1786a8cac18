package io.hostmesh.configwatch;

import io.hostmesh.platform.EventLoops;
import io.netty.channel.IoEventLoop;
import io.vertx.core.Context;
import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.function.Consumer;

/**
 * Watches the folder that holds config.json (inotify on Linux), not the file: an editor that
 * writes a temporary file and renames it over config.json replaces the inode, which a watch on
 * the file itself would lose. Calls {@code onChange} for every event about the file (created,
 * modified, moved in, deleted) and on an overflow; the caller debounces.
 *
 * <p>Threading: one daemon thread per watch; the callbacks run on it and must only hand over
 * (e.g. {@code context.runOnContext}). {@link #close()} ends the thread. {@link #start(Context,
 * Path, String, Runnable, Consumer)} prefers {@link InotifyWatch}, which needs no thread.
 */
final class ConfigFileWatch implements FolderWatch {
  /**
   * The blocking part of starting a watch, on a worker before {@link #start}: loading JNA for
   * inotify when the context's loop is an epoll loop (it would stall the loop at boot).
   */
  static io.vertx.core.Future<Void> prepare(Context context) {
    if (InotifyWatch.loaded() || EventLoops.epoll(context) == null) {
      return io.vertx.core.Future.succeededFuture();
    }
    return context.owner().executeBlocking(InotifyWatch::load, false).mapEmpty();
  }

  /**
   * Starts a watch of {@code dir}: on the context's own event loop when Vert.x runs on epoll, this
   * is called on that loop and {@link #prepare} loaded inotify ({@link InotifyWatch}), else on a
   * thread of its own.
   */
  static FolderWatch start(Context context, Path dir, String fileName, Runnable onChange, Consumer<String> onLost)
      throws IOException {
    IoEventLoop loop = EventLoops.epoll(context);
    if (loop != null && loop.inEventLoop() && InotifyWatch.loaded()) {
      return InotifyWatch.start(loop, dir, fileName, onChange, onLost);
    }
    ConfigFileWatch w = new ConfigFileWatch(dir, fileName, onChange, onLost);
    w.start();
    return w;
  }

  private final Path dir;
  private final String fileName;
  private final Runnable onChange;
  private final Consumer<String> onLost;
  private WatchService service;
  private volatile boolean closed;

  /**
   * @param dir the folder to watch
   * @param fileName the file in it that matters
   * @param onChange called after a relevant event
   * @param onLost called once when the watch ends by itself (the folder was removed), with why
   */
  ConfigFileWatch(Path dir, String fileName, Runnable onChange, Consumer<String> onLost) {
    this.dir = dir;
    this.fileName = fileName;
    this.onChange = onChange;
    this.onLost = onLost;
  }

  /** Registers the watch; events from now on are reported. */
  void start() throws IOException {
    service = dir.getFileSystem().newWatchService();
    dir.register(service, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_MODIFY,
        StandardWatchEventKinds.ENTRY_DELETE);
    Thread t = new Thread(this::loop, "config-watch " + dir);
    t.setDaemon(true);
    t.start();
  }

  private void loop() {
    try {
      while (!closed) {
        WatchKey key = service.take();
        boolean relevant = false;
        for (WatchEvent<?> e : key.pollEvents()) {
          relevant |= e.kind() == StandardWatchEventKinds.OVERFLOW
              || (e.context() instanceof Path p && p.toString().equals(fileName));
        }
        boolean valid = key.reset();
        if (relevant) {
          onChange.run();
        }
        if (!valid) {
          if (!closed) {
            onLost.accept(dir + " is gone; the watch on it ended");
          }
          return;
        }
      }
    } catch (ClosedWatchServiceException | InterruptedException e) {
      // closed by stop()
    }
  }

  @Override
  public void close() {
    closed = true;
    if (service != null) {
      try {
        service.close();
      } catch (IOException ignored) {
        // the thread ends either way
      }
    }
  }
}
