package io.hostmesh.deploy.notify;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.EpollDomainDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.unix.DomainDatagramPacket;
import io.netty.channel.unix.DomainSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

/** The systemd side of sd_notify in tests: a bound Unix datagram socket that keeps every message. */
final class NotifyReceiver implements AutoCloseable {
  private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
  private final List<String> received = new CopyOnWriteArrayList<>();
  private final Channel channel;
  final Path path;

  NotifyReceiver(Path path) throws InterruptedException {
    this.path = path;
    channel = new Bootstrap().group(group).channel(EpollDomainDatagramChannel.class)
        .handler(new SimpleChannelInboundHandler<DomainDatagramPacket>() {
          @Override
          protected void channelRead0(ChannelHandlerContext ctx, DomainDatagramPacket p) {
            received.add(p.content().toString(StandardCharsets.UTF_8));
          }
        })
        .bind(new DomainSocketAddress(path.toString())).sync().channel();
  }

  List<String> messages() {
    return List.copyOf(received);
  }

  /** Index of the first message at or after {@code from} that matches, polling up to {@code limit}. */
  int await(Predicate<String> match, int from, Duration limit) throws InterruptedException {
    long deadline = System.nanoTime() + limit.toNanos();
    while (true) {
      List<String> m = messages();
      for (int i = from; i < m.size(); i++) {
        if (match.test(m.get(i))) {
          return i;
        }
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("no matching notification within " + limit + "; last ones: " + m.subList(Math.max(0, m.size() - 10), m.size()));
      }
      synchronized (this) {
        wait(10);
      }
    }
  }

  @Override
  public void close() {
    channel.close().syncUninterruptibly();
    group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
  }
}
