package io.hostmesh.platform;

import io.netty.channel.EventLoop;
import io.netty.channel.IoEventLoop;
import io.netty.channel.epoll.EpollIoHandler;
import io.vertx.core.Context;
import io.vertx.core.internal.ContextInternal;

/**
 * Whether a Vert.x context's event loop is Netty's epoll loop, on which a descriptor of our own
 * (an inotify instance, a pipe, a socket whose descriptor we need) can be watched without a
 * thread. A device's Vert.x runs on epoll unless {@code vertx.nativeTransport} is false; tests'
 * Vert.x instances usually run on NIO, where callers keep a thread of their own instead.
 */
public final class EventLoops {
  private EventLoops() {}

  /** The context's event loop when it is an epoll loop, else null (NIO, a worker context, none). */
  public static IoEventLoop epoll(Context context) {
    if (!(context instanceof ContextInternal c) || !c.isEventLoopContext()) {
      return null;
    }
    EventLoop loop = c.nettyEventLoop();
    try {
      return loop instanceof IoEventLoop io && io.isIoType(EpollIoHandler.class) ? io : null;
    } catch (LinkageError noEpollClasses) {
      return null;
    }
  }
}
