package io.hostmesh.platform;

import io.netty.channel.IoEvent;
import io.netty.channel.IoEventLoop;
import io.netty.channel.IoRegistration;
import io.netty.channel.epoll.EpollIoHandle;
import io.netty.channel.epoll.EpollIoOps;
import io.netty.channel.unix.FileDescriptor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.function.IntConsumer;

/**
 * A descriptor of our own (a pipe, an inotify instance) watched for reading by an epoll event
 * loop ({@link EventLoops#epoll}), so no thread waits on it. Subclasses read it in
 * {@link #readable()}, until it would block (the descriptor is non-blocking), and call
 * {@link #close()} at its end. Closed also when the loop shuts down.
 *
 * <p>Threading: everything on the loop it is registered on.
 */
public abstract class LoopDescriptor implements EpollIoHandle {
  private final FileDescriptor fd;
  private IoRegistration registration;
  private boolean closed;

  protected LoopDescriptor(FileDescriptor fd) {
    this.fd = fd;
  }

  /**
   * Registers with {@code loop} and asks to hear when there is something to read. Called on the
   * loop, it is registered when this returns.
   *
   * @throws IOException when the loop refuses it (the descriptor is closed then)
   */
  protected final void register(IoEventLoop loop) throws IOException {
    io.netty.util.concurrent.Future<IoRegistration> f = loop.register(this);
    f.addListener(done -> {
      if (done.isSuccess()) {
        registration = f.getNow();
        registration.submit(EpollIoOps.EPOLLIN);
      } else {
        close();
      }
    });
    if (f.isDone() && !f.isSuccess()) {
      throw new IOException("the event loop refused the descriptor: " + f.cause(), f.cause());
    }
  }

  /** There is something to read (or the end). */
  protected abstract void readable();

  /**
   * Reads until the descriptor would block: each read lands at the start of {@code buffer} (a
   * direct one) and its length goes to {@code onRead}, which takes the bytes out before the next.
   * Returns true at the end of file, or when a read fails (a broken pipe: what was read is all).
   */
  protected final boolean readAvailable(ByteBuffer buffer, IntConsumer onRead) {
    try {
      int n;
      while ((n = fd.read(buffer, 0, buffer.capacity())) != 0) {
        if (n < 0) {
          return true;
        }
        onRead.accept(n);
      }
      return false;
    } catch (IOException e) {
      return true;
    }
  }

  @Override
  public final FileDescriptor fd() {
    return fd;
  }

  @Override
  public final void handle(IoRegistration reg, IoEvent event) {
    if (!closed) {
      readable();
    }
  }

  /** Whether {@link #close()} has run (nothing is read or reported after it). */
  protected final boolean closed() {
    return closed;
  }

  public final boolean isOpen() {
    return fd.isOpen();
  }

  /** Leaves the loop and closes the descriptor; once. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (registration != null) {
      registration.cancel();
    }
    try {
      fd.close();
    } catch (IOException ignored) {
      // closed already
    }
  }
}
