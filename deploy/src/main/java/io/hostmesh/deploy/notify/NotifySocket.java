package io.hostmesh.deploy.notify;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDomainDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.unix.DomainSocketAddress;
import io.netty.bootstrap.Bootstrap;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.nio.charset.StandardCharsets;

/**
 * The sending end of systemd's notification socket ({@code $NOTIFY_SOCKET}): one Unix datagram
 * per message, as {@code sd_notify(3)} does. Java 17 has no Unix datagram sockets, so this uses
 * Netty's native epoll transport on its own single-thread event loop.
 *
 * <p>Threading: {@link #send} may be called from any thread; datagrams leave in call order.
 * Failure: {@link #open} fails when the native transport is unavailable (not Linux x86-64);
 * a send to a socket nobody reads fails the returned future, nothing is retried.
 */
public final class NotifySocket implements AutoCloseable {
  private final EventLoopGroup group;
  private final Channel channel;
  private final DomainSocketAddress target;

  private NotifySocket(EventLoopGroup group, Channel channel, DomainSocketAddress target) {
    this.group = group;
    this.channel = channel;
    this.target = target;
  }

  /**
   * Opens an unbound datagram socket aimed at {@code address}: a path, or {@code @name} for
   * an abstract socket (sd_notify(3): "If the first character of $NOTIFY_SOCKET is '@'").
   */
  public static Future<NotifySocket> open(String address) {
    if (address == null || address.isEmpty()) {
      return Future.failedFuture(new IllegalArgumentException("NOTIFY_SOCKET is empty"));
    }
    if (!Epoll.isAvailable()) {
      return Future.failedFuture(new IllegalStateException("sd_notify needs Netty's native epoll transport: "
          + Epoll.unavailabilityCause()));
    }
    String path = address.charAt(0) == '@' ? "\0" + address.substring(1) : address;
    EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
    Promise<NotifySocket> p = Promise.promise();
    new Bootstrap().group(group).channel(EpollDomainDatagramChannel.class)
        .handler(new ChannelInitializer<Channel>() {
          @Override
          protected void initChannel(Channel ch) {
            // send-only: nothing is ever read
          }
        })
        // connected, so every write goes to systemd (an unbound, unconnected channel is not active)
        .connect(new DomainSocketAddress(path)).addListener(f -> {
          if (f.isSuccess()) {
            p.complete(new NotifySocket(group, ((io.netty.channel.ChannelFuture) f).channel(), new DomainSocketAddress(path)));
          } else {
            group.shutdownGracefully();
            p.fail(f.cause());
          }
        });
    return p.future();
  }

  /** Sends one notification, e.g. {@code "READY=1"} or {@code "WATCHDOG=1"}. */
  public Future<Void> send(String state) {
    Promise<Void> p = Promise.promise();
    byte[] bytes = state.getBytes(StandardCharsets.UTF_8);
    channel.writeAndFlush(Unpooled.wrappedBuffer(bytes)).addListener(f -> {
      if (f.isSuccess()) {
        p.complete();
      } else {
        p.fail(f.cause());
      }
    });
    return p.future();
  }

  @Override
  public void close() {
    channel.close();
    group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS);
  }
}
