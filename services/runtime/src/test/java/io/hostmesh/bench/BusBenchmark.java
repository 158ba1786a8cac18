package io.hostmesh.bench;

import io.hostmesh.bus.Bus;
import io.hostmesh.bus.Topic;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.MessageCodec;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Typed bus against the raw event bus with a pass-through codec, same run, same JVM:
 * publish throughput (one consumer) and request/reply throughput (sequential round trips).
 * Run: {@code ./bench.sh services io.hostmesh.bench.BusBenchmark}.
 */
public final class BusBenchmark {
  record Sample(int n) {}

  static final Topic<Sample> EVENT = Topic.event("bench.event", Sample.class);
  static final Topic.Request<Sample, Sample> ECHO = Topic.request("bench.echo", Sample.class, Sample.class);

  static final class Pass implements MessageCodec<Sample, Sample> {
    public void encodeToWire(Buffer b, Sample s) { b.appendInt(s.n()); }
    public Sample decodeFromWire(int pos, Buffer b) { return new Sample(b.getInt(pos)); }
    public Sample transform(Sample s) { return s; }
    public String name() { return "bench-pass"; }
    public byte systemCodecID() { return -1; }
  }

  public static void main(String[] args) {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 2_000_000;
    int rr = n / 10;
    Vertx vertx = Vertx.vertx();
    Bus bus = Bus.create(vertx);
    vertx.eventBus().registerDefaultCodec(Sample.class, new Pass());
    DeliveryOptions raw = new DeliveryOptions().setCodecName("bench-pass");
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 7;
    java.util.List<Double> pubRatio = new java.util.ArrayList<>(), reqRatio = new java.util.ArrayList<>();
    java.util.List<Double> rawPubs = new java.util.ArrayList<>(), typedPubs = new java.util.ArrayList<>();
    java.util.List<Double> rawReqs = new java.util.ArrayList<>(), typedReqs = new java.util.ArrayList<>();
    for (int round = 0; round < rounds; round++) {
      double rawPub = publish(vertx, n, c -> vertx.eventBus().publish("raw.event", new Sample(c), raw), "raw.event", false, bus);
      double typedPub = publish(vertx, n, c -> bus.publish(EVENT, new Sample(c)), EVENT.address(), true, bus);
      double rawReq = requests(vertx, rr, false, bus, raw);
      double typedReq = requests(vertx, rr, true, bus, raw);
      System.out.printf("round %d: publish raw %.2f M/s, typed %.2f M/s (%.2fx); request/reply raw %.0f k/s, typed %.0f k/s (%.2fx)%n",
          round, rawPub / 1e6, typedPub / 1e6, typedPub / rawPub, rawReq / 1e3, typedReq / 1e3, typedReq / rawReq);
      if (round > 0) { // round 0 is warm-up
        pubRatio.add(typedPub / rawPub);
        reqRatio.add(typedReq / rawReq);
        rawPubs.add(rawPub);
        typedPubs.add(typedPub);
        rawReqs.add(rawReq);
        typedReqs.add(typedReq);
      }
    }
    System.out.printf("median of %d rounds after warm-up: publish raw %.2f M/s, typed %.2f M/s, ratio %.2f; "
        + "request/reply raw %.0f k/s, typed %.0f k/s, ratio %.2f%n", pubRatio.size(),
        median(rawPubs) / 1e6, median(typedPubs) / 1e6, median(pubRatio),
        median(rawReqs) / 1e3, median(typedReqs) / 1e3, median(reqRatio));
    vertx.close().await();
  }

  private static double median(java.util.List<Double> xs) {
    java.util.List<Double> s = new java.util.ArrayList<>(xs);
    java.util.Collections.sort(s);
    return s.get(s.size() / 2);
  }

  interface Sender { void send(int c); }

  private static double publish(Vertx vertx, int n, Sender sender, String address, boolean typed, Bus bus) {
    AtomicLong got = new AtomicLong();
    Promise<Void> done = Promise.promise();
    io.hostmesh.bus.Subscription typedSub = null;
    io.vertx.core.eventbus.MessageConsumer<Sample> rawSub = null;
    if (typed) {
      typedSub = bus.subscribe(EVENT, s -> { if (got.incrementAndGet() == n) done.complete(); });
      typedSub.completion().await();
    } else {
      rawSub = vertx.eventBus().<Sample>localConsumer(address, m -> { if (got.incrementAndGet() == n) done.complete(); });
      rawSub.completion().await();
    }
    long t0 = System.nanoTime();
    burst(vertx, sender, 0, n);
    done.future().await();
    double rate = n / ((System.nanoTime() - t0) / 1e9);
    // one consumer per round: leave none behind for the next
    (typed ? typedSub.cancel() : rawSub.unregister()).await();
    return rate;
  }

  /** Publishes in slices of 10,000 so the sending event loop also lets consumers run. */
  private static void burst(Vertx vertx, Sender sender, int from, int n) {
    vertx.runOnContext(v -> {
      int to = Math.min(n, from + 10_000);
      for (int i = from; i < to; i++) sender.send(i);
      if (to < n) burst(vertx, sender, to, n);
    });
  }

  private static double requests(Vertx vertx, int n, boolean typed, Bus bus, DeliveryOptions raw) {
    String addr = "raw.echo";
    io.hostmesh.bus.Subscription typedSub = null;
    io.vertx.core.eventbus.MessageConsumer<Sample> rawSub = null;
    if (typed) {
      typedSub = bus.serve(ECHO, Future::succeededFuture);
      typedSub.completion().await();
    } else {
      rawSub = vertx.eventBus().<Sample>localConsumer(addr, m -> m.reply(m.body(), raw));
      rawSub.completion().await();
    }
    Promise<Void> done = Promise.promise();
    long t0 = System.nanoTime();
    vertx.runOnContext(v -> loop(vertx, n, typed, bus, addr, raw, done));
    done.future().await();
    double rate = n / ((System.nanoTime() - t0) / 1e9);
    (typed ? typedSub.cancel() : rawSub.unregister()).await();
    return rate;
  }

  private static void loop(Vertx vertx, int left, boolean typed, Bus bus, String addr, DeliveryOptions raw, Promise<Void> done) {
    if (left == 0) { done.complete(); return; }
    Future<?> f = typed ? bus.request(ECHO, new Sample(left)) : vertx.eventBus().request(addr, new Sample(left), raw);
    f.onComplete(ar -> loop(vertx, left - 1, typed, bus, addr, raw, done));
  }
}
