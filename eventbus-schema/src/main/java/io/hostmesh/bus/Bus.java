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
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The typed event bus of one device. Many devices share one Vert.x (tests, fleets): each bus has
 * its own scope, a prefix on every address it uses on the Vert.x event bus, and its own latched
 * values, so no device sees another's topics.
 *
 * <p>State topics are latched: {@link #publish} keeps the value, and {@link #subscribe} hands
 * the last value to a late subscriber before any newer one. Events are delivered only to the
 * subscribers present. Requests are answered by the one handler registered with {@link #serve}.
 *
 * <p>Threading: every method may be called from any thread. Handlers run on the context of the
 * caller of {@code subscribe}/{@code serve} (the unit's event loop). Records travel by reference.
 */
public final class Bus {
  private static final String SHARED_MAP = "hostmesh.bus";
  private static final DeliveryOptions LOCAL = new DeliveryOptions().setCodecName(RecordCodec.NAME);

  private final Vertx vertx;
  private final EventBus eventBus;
  private final String scope;
  private final String prefix;
  private final Map<String, Latched> latched = new ConcurrentHashMap<>();
  /** Per topic address: its scoped address and its traffic, found with one lookup per publish. */
  private final Map<String, Address> addresses = new ConcurrentHashMap<>();
  private final AtomicLong sequence = new AtomicLong();

  /**
   * A topic address on this bus: its Vert.x address, how many messages went there, and how many
   * handlers this bus registered on it (only this bus registers handlers on its scoped addresses).
   */
  private static final class Address {
    final String scoped;
    final LongAdder traffic = new LongAdder();
    final java.util.concurrent.atomic.AtomicInteger consumers = new java.util.concurrent.atomic.AtomicInteger();

    Address(String scoped) {
      this.scoped = scoped;
    }
  }

  /** A latched value with its topic and publish sequence, so a late subscriber never sees an older value after a newer one. */
  record Latched(long seq, Topic<?> topic, Object value) {}

  private Bus(Vertx vertx, String scope) {
    if (scope == null || scope.isEmpty() || scope.indexOf('/') >= 0) {
      throw new IllegalArgumentException("a bus scope is a non-empty word without '/': " + scope);
    }
    this.vertx = vertx;
    this.eventBus = vertx.eventBus();
    this.scope = scope;
    this.prefix = scope + "/";
    registerCodecsOnce(vertx);
  }

  /** A new bus of its own on {@code vertx}, with a scope unique within this Vert.x instance. */
  public static Bus create(Vertx vertx) {
    return new Bus(vertx, "bus-" + nextId(vertx));
  }

  /**
   * A new bus with the given scope (e.g. a device id); two buses with one scope on one Vert.x
   * would hear each other, so scopes must be unique per Vert.x instance.
   */
  public static Bus create(Vertx vertx, String scope) {
    return new Bus(vertx, scope);
  }

  /** The codecs are registered once per Vert.x (a second registration throws). */
  private static void registerCodecsOnce(Vertx vertx) {
    LocalMap<String, Boolean> map = vertx.sharedData().getLocalMap(SHARED_MAP);
    synchronized (map) {
      if (map.putIfAbsent("codecs", Boolean.TRUE) == null) {
        vertx.eventBus().registerCodec(new RecordCodec());
        vertx.eventBus().registerCodec(new JsonRecordCodec());
      }
    }
  }

  private static long nextId(Vertx vertx) {
    LocalMap<String, Long> map = vertx.sharedData().getLocalMap(SHARED_MAP + ".ids");
    synchronized (map) {
      long id = map.getOrDefault("next", 0L) + 1;
      map.put("next", id);
      return id;
    }
  }

  public Vertx vertx() {
    return vertx;
  }

  /** This bus's scope: the prefix of its addresses on the Vert.x event bus. */
  public String scope() {
    return scope;
  }

  /** The entry of a topic address on this bus (made on first use). */
  private Address address(String address) {
    Address a = addresses.get(address);
    if (a == null) {
      a = addresses.computeIfAbsent(address, k -> new Address(prefix + k));
    }
    return a;
  }

  /** Publishes a value; a state topic also latches it. Never blocks. */
  public <T> void publish(Topic<T> topic, T value) {
    if (topic.kind() == TopicKind.REQUEST) {
      throw new IllegalArgumentException("use request() for " + topic);
    }
    Address a = address(topic.address());
    a.traffic.increment();
    if (topic.isState()) {
      Latched l = new Latched(sequence.incrementAndGet(), topic, value);
      latched.put(topic.address(), l);
      if (a.consumers.get() > 0) { // nobody to deliver to: a late subscriber gets the latched value
        eventBus.publish(a.scoped, l, LOCAL);
      }
    } else if (a.consumers.get() > 0) { // an event goes only to the subscribers present
      eventBus.publish(a.scoped, value, LOCAL);
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
    Address a = address(topic.address());
    a.consumers.incrementAndGet();
    if (!topic.isState()) {
      MessageConsumer<T> c = eventBus.localConsumer(a.scoped, m -> handler.accept(m.body()));
      return new ConsumerSubscription(c, c.completion(), a);
    }
    long[] lastSeq = {0};
    Consumer<Latched> deliver = l -> {
      if (l.seq() > lastSeq[0]) {
        lastSeq[0] = l.seq();
        handler.accept(topic.type().cast(l.value()));
      }
    };
    MessageConsumer<Latched> c = eventBus.localConsumer(a.scoped, m -> deliver.accept(m.body()));
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
    return new ConsumerSubscription(c, replayed.future(), a);
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
    Address a = address(request.address());
    a.traffic.increment();
    return eventBus.<R>request(a.scoped, value, LOCAL).map(m -> request.replyType().cast(m.body()));
  }

  /** Answers requests on the topic; a failed future is returned to the caller as a failure with its message. */
  public <T, R> Subscription serve(Topic.Request<T, R> request, Function<? super T, Future<R>> handler) {
    Address a = address(request.address());
    a.consumers.incrementAndGet();
    MessageConsumer<T> c = eventBus.localConsumer(a.scoped, m -> {
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
    return new ConsumerSubscription(c, c.completion(), a);
  }

  /** Every latched value by address (for the HTTP API and metrics; values are immutable records). */
  public Map<String, Object> latched() {
    Map<String, Object> out = new java.util.TreeMap<>();
    latched.forEach((k, v) -> out.put(k, v.value()));
    return out;
  }

  /** The latched values of the topics declared with {@code facet}, by address (sorted). */
  public Map<String, Object> latched(Facet facet) {
    Map<String, Object> out = new java.util.TreeMap<>();
    latched.forEach((k, v) -> {
      if (v.topic().has(facet)) {
        out.put(k, v.value());
      }
    });
    return out;
  }

  /** The latched value at an address, or null (for the HTTP API and metrics). */
  public Object latchedValue(String address) {
    Latched l = latched.get(address);
    return l == null ? null : l.value();
  }

  /** Messages published or requested on one address since start. */
  public long messages(String address) {
    Address a = addresses.get(address);
    return a == null ? 0 : a.traffic.sum();
  }

  /** Messages published or requested per address since start (for metrics). */
  public Map<String, Long> traffic() {
    Map<String, Long> out = new java.util.TreeMap<>();
    addresses.forEach((k, v) -> {
      long n = v.traffic.sum();
      if (n > 0) { // an address only subscribed to has had no traffic and is not listed
        out.put(k, n);
      }
    });
    return out;
  }

  /** True when a failure came from a request nobody serves. */
  public static boolean isNoHandler(Throwable t) {
    return t instanceof ReplyException r && r.failureType() == io.vertx.core.eventbus.ReplyFailure.NO_HANDLERS;
  }

  private static final class ConsumerSubscription implements Subscription {
    private final MessageConsumer<?> consumer;
    private final Future<Void> completion;
    private final Address address;
    private final java.util.concurrent.atomic.AtomicBoolean cancelled = new java.util.concurrent.atomic.AtomicBoolean();

    ConsumerSubscription(MessageConsumer<?> consumer, Future<Void> completion, Address address) {
      this.consumer = consumer;
      this.completion = completion;
      this.address = address;
    }

    @Override
    public Future<Void> completion() {
      return completion;
    }

    @Override
    public Future<Void> cancel() {
      if (cancelled.compareAndSet(false, true)) {
        address.consumers.decrementAndGet();
      }
      return consumer.unregister();
    }
  }
}
