package io.hostmesh.bus;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.shareddata.LocalMap;
import io.vertx.core.shareddata.Shareable;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The typed event bus of one Vert.x instance.
 *
 * <p>State topics are latched: {@link #publish} keeps the value, and {@link #subscribe} hands
 * the last value to a late subscriber before any newer one. Events are delivered only to the
 * subscribers present. Requests are answered by the one handler registered with {@link #serve}.
 *
 * <p>Threading: every method may be called from any thread. Handlers run on the context of the
 * caller of {@code subscribe}/{@code serve} (the unit's event loop). Records travel by reference.
 */
public final class Bus implements Shareable {
  private static final String SHARED_MAP = "hostmesh.bus";
  private static final DeliveryOptions LOCAL = new DeliveryOptions().setCodecName(RecordCodec.NAME);

  private final Vertx vertx;
  private final EventBus eventBus;
  private final Map<String, Latched> latched = new ConcurrentHashMap<>();
  private final Map<String, LongAdder> traffic = new ConcurrentHashMap<>();
  private final AtomicLong sequence = new AtomicLong();

  /** A latched value with its publish sequence, so a late subscriber never sees an older value after a newer one. */
  record Latched(long seq, Object value) {}

  private Bus(Vertx vertx) {
    this.vertx = vertx;
    this.eventBus = vertx.eventBus();
    eventBus.registerCodec(new RecordCodec());
    eventBus.registerCodec(new JsonRecordCodec());
  }

  /** The bus of this Vert.x instance, created (and its codecs registered) on first use. */
  public static Bus of(Vertx vertx) {
    LocalMap<String, Bus> map = vertx.sharedData().getLocalMap(SHARED_MAP);
    synchronized (map) {
      Bus bus = map.get("bus");
      if (bus == null) {
        bus = new Bus(vertx);
        map.put("bus", bus);
      }
      return bus;
    }
  }

  public Vertx vertx() {
    return vertx;
  }

  /** Publishes a value; a state topic also latches it. Never blocks. */
  public <T> void publish(Topic<T> topic, T value) {
    if (topic.kind() == TopicKind.REQUEST) {
      throw new IllegalArgumentException("use request() for " + topic);
    }
    count(topic.address());
    if (topic.isState()) {
      Latched l = new Latched(sequence.incrementAndGet(), value);
      latched.put(topic.address(), l);
      eventBus.publish(topic.address(), l, LOCAL);
    } else {
      eventBus.publish(topic.address(), value, LOCAL);
    }
  }

  /** The last value of a state topic, if any was published. */
  public <T> Optional<T> latest(Topic<T> topic) {
    Latched l = latched.get(topic.address());
    return l == null ? Optional.empty() : Optional.of(topic.type().cast(l.value()));
  }

  /**
   * Calls {@code handler} for every value published on the topic from now on; for a state topic
   * first with the latched value, if there is one.
   */
  public <T> Subscription subscribe(Topic<T> topic, Consumer<? super T> handler) {
    Context context = vertx.getOrCreateContext();
    if (!topic.isState()) {
      MessageConsumer<T> c = eventBus.localConsumer(topic.address(), m -> handler.accept(m.body()));
      return new ConsumerSubscription(c, c.completion());
    }
    long[] lastSeq = {0};
    Consumer<Latched> deliver = l -> {
      if (l.seq() > lastSeq[0]) {
        lastSeq[0] = l.seq();
        handler.accept(topic.type().cast(l.value()));
      }
    };
    MessageConsumer<Latched> c = eventBus.localConsumer(topic.address(), m -> deliver.accept(m.body()));
    Promise<Void> replayed = Promise.promise();
    c.completion().onComplete(ar -> context.runOnContext(v -> {
      if (ar.failed()) {
        replayed.fail(ar.cause());
        return;
      }
      Latched l = latched.get(topic.address());
      if (l != null) {
        deliver.accept(l);
      }
      replayed.complete();
    }));
    return new ConsumerSubscription(c, replayed.future());
  }

  /** The first value of the topic that matches, the latched one included. */
  public <T> Future<T> await(Topic<T> topic, Predicate<? super T> condition) {
    Promise<T> promise = Promise.promise();
    Subscription[] sub = new Subscription[1];
    sub[0] = subscribe(topic, v -> {
      if (!promise.future().isComplete() && condition.test(v)) {
        promise.complete(v);
        if (sub[0] != null) {
          sub[0].cancel();
        }
      }
    });
    if (promise.future().isComplete()) {
      sub[0].cancel();
    }
    return promise.future();
  }

  /** Sends a request and returns the typed answer; fails when nobody serves the topic. */
  public <T, R> Future<R> request(Topic.Request<T, R> request, T value) {
    count(request.address());
    return eventBus.<R>request(request.address(), value, LOCAL).map(m -> request.replyType().cast(m.body()));
  }

  /** Answers requests on the topic; a failed future is returned to the caller as a failure with its message. */
  public <T, R> Subscription serve(Topic.Request<T, R> request, Function<? super T, Future<R>> handler) {
    MessageConsumer<T> c = eventBus.localConsumer(request.address(), m -> {
      Future<R> answer;
      try {
        answer = handler.apply(m.body());
      } catch (RuntimeException e) {
        answer = Future.failedFuture(e);
      }
      answer.onComplete(ar -> {
        if (ar.succeeded()) {
          m.reply(ar.result(), LOCAL);
        } else {
          m.fail(500, String.valueOf(ar.cause().getMessage()));
        }
      });
    });
    return new ConsumerSubscription(c, c.completion());
  }

  /** Every latched value by address (for the HTTP API and metrics; values are immutable records). */
  public Map<String, Object> latched() {
    Map<String, Object> out = new java.util.TreeMap<>();
    latched.forEach((k, v) -> out.put(k, v.value()));
    return out;
  }

  /** The latched value at an address, or null (for the HTTP API and metrics). */
  public Object latchedValue(String address) {
    Latched l = latched.get(address);
    return l == null ? null : l.value();
  }

  /** Messages published or requested on one address since start. */
  public long messages(String address) {
    LongAdder a = traffic.get(address);
    return a == null ? 0 : a.sum();
  }

  /** Messages published or requested per address since start (for metrics). */
  public Map<String, Long> traffic() {
    Map<String, Long> out = new java.util.TreeMap<>();
    traffic.forEach((k, v) -> out.put(k, v.sum()));
    return out;
  }

  private void count(String address) {
    LongAdder a = traffic.get(address);
    if (a == null) {
      a = traffic.computeIfAbsent(address, k -> new LongAdder());
    }
    a.increment();
  }

  /** True when a failure came from a request nobody serves. */
  public static boolean isNoHandler(Throwable t) {
    return t instanceof ReplyException r && r.failureType() == io.vertx.core.eventbus.ReplyFailure.NO_HANDLERS;
  }

  private record ConsumerSubscription(MessageConsumer<?> consumer, Future<Void> completion) implements Subscription {
    @Override
    public Future<Void> cancel() {
      return consumer.unregister();
    }
  }
}
