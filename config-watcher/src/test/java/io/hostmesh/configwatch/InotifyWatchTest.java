package io.hostmesh.configwatch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hostmesh.platform.Poll;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The folder watch on an epoll event loop, with real files and the kernel's inotify: the events
 * the JDK's watch service reported are reported, others are not, a removed folder ends the watch
 * once, and a closed watch holds no descriptor.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class InotifyWatchTest {
  @TempDir
  Path tmp;
  private Vertx vertx;
  private Context context;
  private Path dir;
  private final AtomicInteger changes = new AtomicInteger();
  private final List<String> lost = new CopyOnWriteArrayList<>();
  private final List<Thread> callbackThreads = new CopyOnWriteArrayList<>();

  @BeforeEach
  void setUp() throws Exception {
    vertx = Vertx.vertx(new VertxOptions().setPreferNativeTransport(true));
    assertTrue(vertx.isNativeTransportEnabled(), "epoll loads here: " + vertx.unavailableNativeTransportCause());
    context = vertx.getOrCreateContext();
    dir = Files.createDirectories(tmp.resolve("boot"));
  }

  @AfterEach
  void tearDown() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  /** Starts a watch of {@code dir} on {@code on}'s thread, as the unit does. */
  private FolderWatch watch(Context on) throws Exception {
    ConfigFileWatch.prepare(on).await(10, TimeUnit.SECONDS);
    CompletableFuture<FolderWatch> started = new CompletableFuture<>();
    on.runOnContext(x -> {
      try {
        started.complete(ConfigFileWatch.start(on, dir, "config.json", () -> {
          callbackThreads.add(Thread.currentThread());
          changes.incrementAndGet();
        }, lost::add));
      } catch (Exception e) {
        started.completeExceptionally(e);
      }
    });
    try {
      return started.get(10, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw (Exception) e.getCause();
    }
  }

  @Test
  void reportsTheFileOnlyAndRunsOnTheUnitsOwnLoop() throws Exception {
    InotifyWatch w = assertInstanceOf(InotifyWatch.class, watch(context), "on epoll: no thread of its own");
    try {
      Files.writeString(dir.resolve("other.json"), "{}");
      until(() -> w.eventsRead() >= 1, "the event about other.json to be read");
      assertEquals(0, changes.get(), "another file in the folder is not reported");

      Files.writeString(dir.resolve("config.json"), "{}");
      until(() -> changes.get() >= 1, "config.json created");
      assertTrue(callbackThreads.stream().allMatch(t -> t.getName().startsWith("vert.x-eventloop")),
          "reported on the event loop: " + callbackThreads);

      int before = changes.get();
      Path tmpFile = dir.resolve(".config.json.tmp");
      Files.writeString(tmpFile, "{\"a\":1}");
      Files.move(tmpFile, dir.resolve("config.json"), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      until(() -> changes.get() > before, "config.json replaced by a rename");

      int beforeDelete = changes.get();
      Files.delete(dir.resolve("config.json"));
      until(() -> changes.get() > beforeDelete, "config.json deleted");
      assertTrue(lost.isEmpty(), lost.toString());
      assertTrue(w.isOpen());
    } finally {
      context.runOnContext(x -> w.close());
    }
    until(() -> !w.isOpen(), "the descriptor closed");
  }

  @Test
  void theFolderGoneEndsTheWatchOnceAndReleasesItsDescriptor() throws Exception {
    InotifyWatch w = assertInstanceOf(InotifyWatch.class, watch(context));
    Files.delete(dir);
    until(() -> !lost.isEmpty(), "the watch to report the folder gone");
    until(() -> !w.isOpen(), "the descriptor closed");
    assertEquals(1, lost.size(), lost.toString());
    assertTrue(lost.get(0).contains(dir + " is gone"), lost.get(0));
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("config.json"), "{}");
    int eventsAfter = w.eventsRead();
    assertEquals(0, changes.get(), "nothing reported after the watch ended");
    assertEquals(eventsAfter, w.eventsRead());
  }

  @Test
  void aFolderThatIsNotThereIsRefusedWithWhy() {
    dir = tmp.resolve("missing");
    IOException e = assertThrows(IOException.class, () -> watch(context));
    assertTrue(e.getMessage().contains("no such folder"), e.getMessage());
  }

  @Test
  void onNioTheJdkWatchServiceIsUsed() throws Exception {
    Vertx nio = Vertx.vertx(new VertxOptions().setPreferNativeTransport(false));
    try {
      FolderWatch w = watch(nio.getOrCreateContext());
      try {
        assertInstanceOf(ConfigFileWatch.class, w);
        Files.writeString(dir.resolve("config.json"), "{}");
        until(() -> changes.get() >= 1, "config.json created (JDK watch service)");
      } finally {
        w.close();
      }
    } finally {
      nio.close().await(10, TimeUnit.SECONDS);
    }
    assertTrue(lost.isEmpty(), lost.toString());
  }

  /** Polls {@code condition} until it holds (at most 10 s). */
  private void until(BooleanSupplier condition, String what) throws Exception {
    Poll.until(vertx, Duration.ofSeconds(10), Duration.ofMillis(5), what, condition).await(15, TimeUnit.SECONDS);
  }
}
