package io.hostmesh.unit.support;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.util.ReferenceCountUtil;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.time.Instant;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * The first HTTPS request of a JVM initialises several hundred classes: the JDK's SSL context,
 * cipher suites and signature schemes, key agreement, the system trust store, certificate path
 * validation, Netty's {@code SslContext} and HTTP codec. On a small board without a full JIT that
 * is 0.3 to 0.6 s, and done by the request itself it runs on an event loop, stalling every unit
 * that shares the loop. {@link #once} does the same initialisation on a worker, with nothing on
 * the network: a client context and the ClientHello of its handler (its key shares), the system
 * trust store with one of its certificates validated as a path, a server context's class, and an
 * HTTP request and answer through Netty's codecs in memory, with its {@code Date} header.
 *
 * <p>Only an optimisation: it never fails, and whatever it could not do the first real request
 * still does. The classes are the JVM's, so the work is done once per JVM, whatever the number
 * of devices or Vert.x instances.
 *
 * <p>Threading: {@link #once} from any thread; {@link #run} blocks (call it on a worker).
 */
public final class TlsWarmup {
  private static final Object LOCK = new Object();
  private static volatile boolean done;
  private static volatile List<String> skipped = List.of();

  private TlsWarmup() {}

  /** Completes once this JVM's TLS classes are initialised (at once when they are); never fails. */
  public static Future<Void> once(Vertx vertx) {
    if (done) {
      return Future.succeededFuture();
    }
    // not ordered: two devices warming at once share the lock, not a queue with other work
    return vertx.<Void>executeBlocking(() -> {
      run();
      return null;
    }, false).otherwiseEmpty();
  }

  /** Initialises the classes on the calling thread; returns at once when done before. */
  public static void run() {
    synchronized (LOCK) {
      if (done) {
        return;
      }
      List<String> failed = new ArrayList<>();
      step("client hello", TlsWarmup::clientHello, failed);
      step("trust store", TlsWarmup::trustStore, failed);
      step("http codec", TlsWarmup::http, failed);
      // its static initialiser reads a bundled key and certificate (0.2 s and more, with
      // BouncyCastle on the class path): what the first TLS server connection would pay
      step("server context", () -> Class.forName("io.netty.handler.ssl.JdkSslServerContext", true,
          TlsWarmup.class.getClassLoader()), failed);
      skipped = List.copyOf(failed);
      done = true;
    }
  }

  /** The steps that failed in this JVM (each named, with why); empty when every one worked. */
  static List<String> skipped() {
    return skipped;
  }

  private interface Step {
    void run() throws Exception;
  }

  private static void step(String name, Step step, List<String> failed) {
    try {
      step.run();
    } catch (Exception | LinkageError e) {
      // a warm-up only: the real handshake reports its own problem
      failed.add(name + ": " + e);
    }
  }

  /**
   * A Netty client context as Vert.x makes one, and its handler in an in-memory channel: it
   * starts the handshake when the channel becomes active and writes the ClientHello (its key
   * shares made), through the same pipeline code a real connection runs.
   */
  private static void clientHello() throws Exception {
    SslContext context = SslContextBuilder.forClient().build();
    EmbeddedChannel channel = new EmbeddedChannel(context.newHandler(ByteBufAllocator.DEFAULT, "localhost", 443));
    try {
      for (int i = 0; i < 16; i++) {
        Object written = channel.readOutbound();
        if (written == null) {
          break;
        }
        ReferenceCountUtil.release(written);
      }
    } finally {
      channel.finishAndReleaseAll();
    }
  }

  /** The system trust store, and one of its certificates validated as a path (its own signature checked). */
  private static void trustStore() throws Exception {
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init((KeyStore) null);
    for (TrustManager tm : tmf.getTrustManagers()) {
      if (tm instanceof X509TrustManager x && x.getAcceptedIssuers().length > 0) {
        X509Certificate ca = x.getAcceptedIssuers()[0];
        PKIXParameters params = new PKIXParameters(Set.of(new TrustAnchor(ca, null)));
        params.setRevocationEnabled(false);
        CertPathValidator.getInstance("PKIX").validate(
            CertificateFactory.getInstance("X.509").generateCertPath(List.of(ca)), params);
        return;
      }
    }
  }

  /** A HEAD request and a 204 answer through the HTTP/1.1 client and server codecs, in memory. */
  private static void http() {
    EmbeddedChannel client = new EmbeddedChannel(new HttpClientCodec());
    EmbeddedChannel server = new EmbeddedChannel(new HttpServerCodec());
    try {
      client.writeOutbound(new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.HEAD, "/"));
      for (ByteBuf b; (b = client.readOutbound()) != null; ) {
        server.writeInbound(b);
      }
      client.writeInbound(Unpooled.copiedBuffer(
          "HTTP/1.1 204 No Content\r\nDate: Thu, 01 Jan 2026 00:00:00 GMT\r\nConnection: close\r\n\r\n",
          StandardCharsets.US_ASCII));
      // the Date header both ways (java.time's RFC 1123 formatter is built on first use)
      HttpDate.parse(HttpDate.format(Instant.EPOCH));
    } finally {
      client.finishAndReleaseAll();
      server.finishAndReleaseAll();
    }
  }
}
