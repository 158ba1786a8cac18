package io.hostmesh.demo;

import io.hostmesh.unit.support.HttpDate;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.JdkSSLEngineOptions;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * A connectivity-check endpoint, like balena's API: an HTTPS server on 127.0.0.1 that answers
 * {@code HEAD} and {@code GET /connectivity-check} with {@code 204} and a {@code Date} header
 * taken from a clock of the caller's choice. Other paths get 404.
 *
 * <pre>{@code
 * ThrowawayCa ca = ThrowawayCa.create("demo CA");
 * ConnectivityEndpoint ep = ConnectivityEndpoint.start(vertx, ca.issue("127.0.0.1"), Instant::now).await();
 * // config.json: os.network.connectivity.uri = ep.uri(), balenaRootCA = ca.balenaRootCA()
 * ep.reply(ConnectivityEndpoint.Reply.status(200));   // script a captive portal
 * ep.close().await();
 * }</pre>
 *
 * <p>Threading: {@link #reply} and {@link #requests} may be called from any thread; requests
 * are answered on the server's event loop.
 */
public final class ConnectivityEndpoint {
  /** The path balena's API serves, and the default URI's path (spec/config-json.md). */
  public static final String PATH = "/connectivity-check";

  private final HttpServer server;
  private final Supplier<Instant> clock;
  private final AtomicLong requests = new AtomicLong();
  private volatile Reply reply = Reply.noContent();

  private ConnectivityEndpoint(HttpServer server, Supplier<Instant> clock) {
    this.server = server;
    this.clock = clock;
  }

  /** Starts on 127.0.0.1, on a free port. */
  public static Future<ConnectivityEndpoint> start(Vertx vertx, ServerCertificate certificate, Supplier<Instant> clock) {
    return start(vertx, certificate, clock, 0);
  }

  /**
   * Starts on 127.0.0.1:{@code port} (0 = a free port). Fails when the port is taken.
   *
   * @param clock what the Date header says (e.g. {@code Instant::now}, or a skewed clock)
   */
  public static Future<ConnectivityEndpoint> start(Vertx vertx, ServerCertificate certificate, Supplier<Instant> clock,
      int port) {
    Objects.requireNonNull(certificate, "certificate");
    Objects.requireNonNull(clock, "clock");
    HttpServerOptions options = new HttpServerOptions().setSsl(true).setKeyCertOptions(certificate.keyCertOptions())
        .setHost("127.0.0.1").setPort(port)
        // the handshake's signature and key agreement on a worker, not the loop the device's units share
        .setSslEngineOptions(new JdkSSLEngineOptions().setUseWorkerThread(true));
    HttpServer server = vertx.createHttpServer(options);
    ConnectivityEndpoint endpoint = new ConnectivityEndpoint(server, clock);
    server.requestHandler(endpoint::handle);
    return server.listen().map(s -> endpoint);
  }

  /** The port listened on. */
  public int port() {
    return server.actualPort();
  }

  /** {@code https://127.0.0.1:<port>/connectivity-check}. */
  public String uri() {
    return baseUri() + PATH;
  }

  /** {@code https://127.0.0.1:<port>}: an {@code apiEndpoint} whose default URI is this endpoint. */
  public String baseUri() {
    return "https://127.0.0.1:" + port();
  }

  /** How to answer from now on (default {@link Reply#noContent()}). */
  public void reply(Reply r) {
    this.reply = Objects.requireNonNull(r, "reply");
  }

  /** Requests received on {@link #PATH} so far. */
  public long requests() {
    return requests.get();
  }

  /** Stops listening and drops open connections at once (a silent reply holds one open). */
  public Future<Void> close() {
    return server.shutdown(0, TimeUnit.MILLISECONDS);
  }

  private void handle(HttpServerRequest req) {
    if (!PATH.equals(req.path())) {
      req.response().setStatusCode(404).end();
      return;
    }
    requests.incrementAndGet();
    Reply r = reply;
    if (r.silent) {
      return; // never answers: the client's 10 s cap has to end the attempt
    }
    var response = req.response().setStatusCode(r.status);
    String date = r.date.apply(clock.get());
    if (date != null) {
      response.putHeader("Date", date);
    }
    response.end();
  }

  /** An answer of the endpoint. Immutable. */
  public static final class Reply {
    final int status;
    final Function<Instant, String> date;
    final boolean silent;

    private Reply(int status, Function<Instant, String> date, boolean silent) {
      this.status = status;
      this.date = date;
      this.silent = silent;
    }

    /** 204 with the clock's time: what a working endpoint answers. */
    public static Reply noContent() {
      return new Reply(204, HttpDate::format, false);
    }

    /** 204 with this raw Date header, or none when {@code rawDate} is null. */
    public static Reply noContentWithDate(String rawDate) {
      return new Reply(204, now -> rawDate, false);
    }

    /** Any status with the clock's time (200 = a captive portal, 500 = a broken server). */
    public static Reply status(int status) {
      if (status < 100 || status > 599) {
        throw new IllegalArgumentException("not an HTTP status: " + status);
      }
      return new Reply(status, HttpDate::format, false);
    }

    /** Accepts the request and never answers. */
    public static Reply silent() {
      return new Reply(0, now -> null, true);
    }
  }
}
