package io.hostmesh.cli;

import io.hostmesh.mesh.MeshSettings;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.internal.VertxBootstrap;
import io.vertx.core.json.JsonObject;
import io.vertx.core.transport.Transport;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The size of the Vert.x instance the CLI runs a device on, from {@code vertx.*} in hostmesh.json.
 * Vert.x's defaults fit a server (2 event loops per core, 20 worker and 20 internal blocking
 * threads, each grown on demand and kept); a 512 MB board runs one mesh of about 20 mostly idle
 * units:
 *
 * <ul>
 *   <li>{@code eventLoops} (default 2): one loop carries the mesh's handlers easily (boot is a
 *       few hundred ms of work); a second keeps the API, the SSH accept path and the bus moving
 *       while the other runs a long handler. Not 2 per core: a quad-core board would get 8.
 *   <li>{@code workers} (default 4): blocking work is short file writes and process runs; a
 *       process run holds a worker until the command ends, so 4 lets the longest waits at boot
 *       (nm-online, udevadm) run beside the short ones. SSH sessions do not use them.
 *   <li>{@code internalBlocking} (default 4): Vert.x's own blocking calls (file system API, DNS
 *       lookups, TLS key material), a handful at a time at most.
 *   <li>{@code blockedThreadWarnMs} (default 2000): a loop busy longer than this gets Vert.x's
 *       "Thread ... has been blocked" warning; the benchmarks run it at 50. Vert.x checks twice
 *       per limit (at most once a second), so a block of the limit's length is seen.
 *   <li>{@code idleThreadSeconds} (default 5): a worker or internal blocking thread idle this
 *       long ends ({@link IdleEndingExecutors}); Vert.x's default keeps them all for life.
 *   <li>{@code nativeTransport} (default true): Netty's epoll transport where it loads (Linux on
 *       x86-64 and ARM64), NIO elsewhere. On epoll, descriptors of our own are read by the
 *       units' own loops instead of a thread each ({@code LoopDescriptor}): the SSH socket's accept
 *       path, config.json's inotify watch, chronyd's output pipe.
 *   <li>{@code lagProbeMs} (default 10; 0 turns it off): the period of the event-loop lag probe
 *       ({@code hostmesh_event_loop_lag_seconds} on {@code /metrics}).
 * </ul>
 */
public final class VertxSizing {
  public static final int DEFAULT_EVENT_LOOPS = 2;
  public static final int DEFAULT_WORKERS = 4;
  public static final int DEFAULT_INTERNAL_BLOCKING = 4;
  public static final long DEFAULT_BLOCKED_THREAD_WARN_MS = 2000;
  public static final long DEFAULT_LAG_PROBE_MS = 10;
  public static final int DEFAULT_IDLE_THREAD_SECONDS = 5;

  private final JsonObject json;

  public VertxSizing(MeshSettings settings) {
    this(settings.json().getJsonObject("vertx", new JsonObject()));
  }

  VertxSizing(JsonObject vertxSettings) {
    this.json = vertxSettings == null ? new JsonObject() : vertxSettings;
  }

  public boolean nativeTransport() {
    Object v = json.getValue("nativeTransport", Boolean.TRUE);
    if (!(v instanceof Boolean b)) {
      throw new IllegalArgumentException("hostmesh.json: vertx.nativeTransport must be true or false, not " + v);
    }
    return b;
  }

  public int eventLoops() {
    return positive("eventLoops", DEFAULT_EVENT_LOOPS);
  }

  public int workers() {
    return positive("workers", DEFAULT_WORKERS);
  }

  public int internalBlocking() {
    return positive("internalBlocking", DEFAULT_INTERNAL_BLOCKING);
  }

  public long blockedThreadWarnMs() {
    return positive("blockedThreadWarnMs", (int) DEFAULT_BLOCKED_THREAD_WARN_MS);
  }

  public int idleThreadSeconds() {
    return positive("idleThreadSeconds", DEFAULT_IDLE_THREAD_SECONDS);
  }

  /** The lag probe's period; zero when off. */
  public Duration lagProbe() {
    return Duration.ofMillis(Math.max(0, json.getLong("lagProbeMs", DEFAULT_LAG_PROBE_MS)));
  }

  public VertxOptions options() {
    long warn = blockedThreadWarnMs();
    return new VertxOptions()
        .setPreferNativeTransport(nativeTransport())
        .setEventLoopPoolSize(eventLoops())
        .setWorkerPoolSize(workers())
        .setInternalBlockingPoolSize(internalBlocking())
        .setMaxEventLoopExecuteTime(warn).setMaxEventLoopExecuteTimeUnit(TimeUnit.MILLISECONDS)
        .setBlockedThreadCheckInterval(Math.max(1, Math.min(1000, warn / 2)))
        .setBlockedThreadCheckIntervalUnit(TimeUnit.MILLISECONDS);
  }

  public Vertx create() {
    return create(options());
  }

  /**
   * A Vert.x with these options (which may add to {@link #options()}) whose pools' idle threads
   * end. Through Vert.x's bootstrap: the public builder takes no executor factory.
   */
  public Vertx create(VertxOptions options) {
    nettyDefaults();
    VertxBootstrap bootstrap = VertxBootstrap.create().options(options)
        .executorServiceFactory(new IdleEndingExecutors(idleThreadSeconds() * 1000L));
    if (options.getPreferNativeTransport()) {
      // the bootstrap does not read preferNativeTransport (Vertx.vertx(options) does): pick it here
      Transport transport = Transport.nativeTransport();
      if (transport != null && transport.available()) {
        bootstrap.transport(transport.implementation());
      }
    }
    return bootstrap.init().vertx();
  }

  /**
   * Netty settings for a device, unless given on the command line; must run before Netty's
   * {@code PlatformDependent} is loaded (the CLI's {@code Main} does it first). Netty 4.2 registers
   * JFR events for its buffer allocator when JFR is available: 127 more classes (jdk.jfr, proxies,
   * generated handlers) in every device for a recording nobody makes.
   */
  public static void nettyDefaults() {
    if (System.getProperty("io.netty.jfr.enabled") == null) {
      System.setProperty("io.netty.jfr.enabled", "false");
    }
  }

  private int positive(String key, int def) {
    Integer v = json.getInteger(key, def);
    if (v == null || v < 1) {
      throw new IllegalArgumentException("hostmesh.json: vertx." + key + " must be a positive number, not " + json.getValue(key));
    }
    return v;
  }
}
