package io.hostmesh.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hostmesh.platform.Poll;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The device's Vert.x grows its worker pool to its size under load and lets idle threads end. */
@Timeout(30)
class IdleEndingExecutorsTest {
  @Test
  void workersGrowToThePoolSizeQueueBeyondItAndEndWhenIdle() throws Exception {
    VertxSizing sizing = new VertxSizing(new JsonObject().put("workers", 3).put("idleThreadSeconds", 1));
    assertEquals(1, sizing.idleThreadSeconds());
    assertEquals(5, new VertxSizing(new JsonObject()).idleThreadSeconds(), "default");
    Vertx vertx = sizing.create();
    try {
      Set<Thread> used = ConcurrentHashMap.newKeySet();
      CountDownLatch allIn = new CountDownLatch(3);
      CountDownLatch release = new CountDownLatch(1);
      List<Future<String>> tasks = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        tasks.add(vertx.executeBlocking(() -> {
          used.add(Thread.currentThread());
          allIn.countDown();
          release.await(20, TimeUnit.SECONDS);
          return Thread.currentThread().getName();
        }, false));
      }
      assertTrue(allIn.await(20, TimeUnit.SECONDS), "3 tasks run at once on a pool of 3");
      assertEquals(3, used.size(), "no more threads than the pool's size: " + used);
      release.countDown();
      Future.all(tasks).await(20, TimeUnit.SECONDS);
      assertEquals(3, used.size(), "the 2 queued tasks ran on the same 3 threads: " + used);

      Poll.until(vertx, Duration.ofSeconds(15), Duration.ofMillis(50), "idle workers to end",
          () -> used.stream().noneMatch(Thread::isAlive)).await(20, TimeUnit.SECONDS);

      Thread again = vertx.executeBlocking(Thread::currentThread).await(20, TimeUnit.SECONDS);
      assertTrue(again.getName().startsWith("vert.x-worker-thread"), again.getName());
      for (Thread t : used) {
        assertNotSame(t, again, "a new thread after the idle ones ended");
      }
    } finally {
      vertx.close().await(20, TimeUnit.SECONDS);
    }
  }
}
