package io.hostmesh.ssh;

import io.hostmesh.platform.EventLoops;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.unix.UnixChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The listening socket when sshd gets each connection itself ({@code Accept=yes},
 * {@code StandardInput=socket}): Netty's epoll transport, because only there a connection's file
 * descriptor can be had. When Vert.x itself runs on epoll (its native transport, the device's
 * default) the socket lives on the unit's own event loop; otherwise on one thread of its own.
 * Accepted connections are never read from
 * (auto-read off from the start): the descriptor is duplicated (and the connection set to
 * blocking, as systemd hands it over), Netty's channel taken out of epoll
 * and closed (the connection lives on in the copy), and the copy handed to {@code onAccept} on the
 * unit's context, which must close it.
 */
final class HandoffListener {
  /** An accepted connection: a descriptor of our own and the client's address. */
  record Accepted(int fd, String remote) {}

  private EventLoopGroup ownGroup;
  private Channel server;

  /**
   * The loop the socket and its accepted connections are registered on: the context's own when it
   * is an epoll loop (accepting is a few system calls per connection, no thread needed), else a
   * group of one thread made here and shut down by {@link #close()}.
   */
  private EventLoopGroup group(Context context) {
    EventLoopGroup loop = EventLoops.epoll(context);
    if (loop != null) {
      return loop;
    }
    ownGroup = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("ssh-socket-accept", true),
        EpollIoHandler.newFactory());
    return ownGroup;
  }

  /** Whether the last {@link #listen} made a thread of its own (Vert.x not on epoll). */
  boolean ownThread() {
    return ownGroup != null;
  }

  /** Null when sshd can be given connections here, else why not. */
  static String unavailableReason() {
    String spawn = NativeSpawn.unavailableReason();
    if (spawn != null) {
      return spawn;
    }
    try {
      return Epoll.isAvailable() ? null : "Netty epoll unavailable: " + Epoll.unavailabilityCause();
    } catch (Throwable e) {
      return "Netty epoll unavailable: " + e;
    }
  }

  /** Binds; completes on {@code context} with the bound port. */
  Future<Integer> listen(String host, int port, Context context, Consumer<Accepted> onAccept) {
    Promise<Integer> bound = Promise.promise();
    ServerBootstrap b = new ServerBootstrap()
        .group(group(context))
        .channel(EpollServerSocketChannel.class)
        .option(ChannelOption.SO_REUSEADDR, true)
        .childOption(ChannelOption.AUTO_READ, false)
        .childHandler(new HandOver(context, onAccept));
    b.bind(host, port).addListener(f -> context.runOnContext(v -> {
      if (f.isSuccess()) {
        server = ((io.netty.channel.ChannelFuture) f).channel();
        bound.complete(((InetSocketAddress) server.localAddress()).getPort());
      } else {
        bound.fail(f.cause());
      }
    }));
    return bound.future();
  }

  /** Stops listening; connections already handed over are not touched. */
  Future<Void> close() {
    Promise<Void> done = Promise.promise();
    io.netty.util.concurrent.Future<?> closed = server != null ? server.close() : null;
    if (ownGroup != null) {
      ownGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS).addListener(f -> done.complete());
    } else if (closed != null) {
      closed.addListener(f -> done.complete());
    } else {
      done.complete();
    }
    return done.future();
  }

  /** Every accepted channel's only handler; it keeps no state of its own, so one serves all. */
  @ChannelHandler.Sharable
  private static final class HandOver extends ChannelInboundHandlerAdapter {
    private final Context context;
    private final Consumer<Accepted> onAccept;

    HandOver(Context context, Consumer<Accepted> onAccept) {
      this.context = context;
      this.onAccept = onAccept;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
      handOver(ctx.channel(), context, onAccept);
    }
  }

  private static void handOver(Channel ch, Context context, Consumer<Accepted> onAccept) {
    InetSocketAddress remote = (InetSocketAddress) ch.remoteAddress();
    String who = remote == null ? "unknown" : remote.getAddress().getHostAddress() + ":" + remote.getPort();
    int fd;
    try {
      fd = NativeSpawn.dupBlocking(((UnixChannel) ch).fd().intValue());
    } catch (IOException e) {
      ch.close();
      return;
    }
    // Out of epoll first, while Netty's descriptor is still open: a descriptor closed while
    // registered stays in the epoll set as long as our copy lives, and its events would reach
    // whichever channel gets that number next. Then close() releases Netty's descriptor only (no
    // shutdown): the connection lives on in ours.
    ch.deregister().addListener(d -> {
      ch.close();
      try {
        context.runOnContext(v -> onAccept.accept(new Accepted(fd, who)));
      } catch (RuntimeException e) {
        NativeSpawn.close(fd);
      }
    });
  }
}
