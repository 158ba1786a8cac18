package io.hostmesh.ssh;

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
 * {@code StandardInput=socket}): Netty's epoll transport on one thread of its own, because only
 * there a connection's file descriptor can be had. Accepted connections are never read from
 * (auto-read off from the start): the descriptor is duplicated (and the connection set to
 * blocking, as systemd hands it over), Netty's channel taken out of epoll
 * and closed (the connection lives on in the copy), and the copy handed to {@code onAccept} on the
 * unit's context, which must close it.
 */
final class HandoffListener {
  /** An accepted connection: a descriptor of our own and the client's address. */
  record Accepted(int fd, String remote) {}

  private final EventLoopGroup group;
  private Channel server;

  HandoffListener() {
    this.group = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("ssh-socket-accept", true),
        EpollIoHandler.newFactory());
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
        .group(group)
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
    if (server != null) {
      server.close();
    }
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).addListener(f -> done.complete());
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
