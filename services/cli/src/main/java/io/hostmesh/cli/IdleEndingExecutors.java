package io.hostmesh.cli;

import io.vertx.core.spi.ExecutorServiceFactory;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Vert.x's worker, internal blocking and named pools with threads that end after an idle time.
 * Vert.x's own factory keeps every thread it ever started (core = max, no time-out): a device
 * that used its 4 workers once at boot kept 4 parked threads for life. Here the pool still grows
 * to its size under load and queues beyond it, exactly as before (same queue, same bound); only
 * an idle thread goes away, and the next task starts a new one.
 */
final class IdleEndingExecutors implements ExecutorServiceFactory {
  private final long idleMillis;

  IdleEndingExecutors(long idleMillis) {
    this.idleMillis = idleMillis;
  }

  @Override
  public ExecutorService createExecutor(ThreadFactory threadFactory, Integer concurrency, Integer maxConcurrency) {
    int size = Math.max(1, maxConcurrency != null ? maxConcurrency : concurrency != null ? concurrency : 1);
    ThreadPoolExecutor pool = new ThreadPoolExecutor(size, size, idleMillis, TimeUnit.MILLISECONDS,
        new LinkedBlockingQueue<>(), threadFactory);
    pool.allowCoreThreadTimeOut(true);
    return pool;
  }
}
