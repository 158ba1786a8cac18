package io.hostmesh.ssh;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A connection handed to a real process as its standard input and output, with real TCP clients
 * on loopback: what the process inherits, and that either side closing ends the other. Here Vert.x
 * runs on NIO, so the listener has an epoll thread of its own; {@link HandoffOnEpollIT} runs the same
 * tests with Vert.x on epoll (the device's default), where the listener shares the unit's loop.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class HandoffIT {
  private final LinkedBlockingQueue<HandoffListener.Accepted> accepted = new LinkedBlockingQueue<>();
  Vertx vertx;
  HandoffListener listener;
  private int port;

  VertxOptions options() {
    return new VertxOptions().setPreferNativeTransport(false);
  }

  @BeforeEach
  void listen() {
    assertNull(HandoffListener.unavailableReason(), "this machine kind runs sshd with the connection handed over");
    vertx = Vertx.vertx(options());
    listener = new HandoffListener();
    port = listener.listen("127.0.0.1", 0, vertx.getOrCreateContext(), accepted::add).await();
  }

  @AfterEach
  void close() {
    try {
      listener.close().await();
    } finally {
      vertx.close().await();
    }
  }

  @Test
  void theListenerHasAThreadOfItsOwnOnlyWhenVertxIsNotOnEpoll() throws Exception {
    boolean epoll = vertx.isNativeTransportEnabled();
    assertEquals(!epoll, listener.ownThread(), "Vert.x on epoll: " + epoll);
    try (Socket client = client()) {
      HandoffListener.Accepted a = accepted.poll(10, TimeUnit.SECONDS);
      NativeSpawn.close(a.fd());
      assertEquals(-1, client.getInputStream().read(), "our copy was the last one");
    }
  }


  @Test
  void theProcessHasTheConnectionOnZeroAndOneAndNothingElseOfTheJvm() throws Exception {
    // ls's own descriptors: 0 and 1 the connection, 2 the stderr pipe, 3 the folder it lists
    assertEquals("0\n1\n2\n3\n", run("ls", "/proc/self/fd"), "the JVM's descriptors stay behind");
    assertTrue(run("readlink", "/proc/self/fd/0").startsWith("socket:["));
    String[] signals = run("grep", "-E", "^Sig(Blk|Ign)", "/proc/self/status").split("\n");
    assertEquals("SigBlk:\t0000000000000000", signals[0], "no signal blocked");
    // glibc itself ignores its two internal real-time signals (32, 33) in the child
    long ignored = Long.parseLong(signals[1].substring("SigIgn:\t".length()), 16);
    assertEquals(0, ignored & 0xffffffffL & ~(3L << 31), signals[1] + ": no other signal ignored");
  }

  @Test
  void clientClosingEndsTheProcessAndTheProcessEndingClosesTheConnection() throws Exception {
    try (Socket client = client()) {
      HandoffListener.Accepted a = accepted.poll(10, TimeUnit.SECONDS);
      NativeSpawn.Spawned p = NativeSpawn.spawn(a.fd(), List.of("cat"), System.getenv());
      byte[] hello = "hello through the handed-over connection\n".getBytes(StandardCharsets.US_ASCII);
      client.getOutputStream().write(hello);
      InputStream in = client.getInputStream();
      assertArrayEquals(hello, in.readNBytes(hello.length), "the process answers on the same connection");
      client.shutdownOutput();
      assertEquals(0, NativeSpawn.waitFor(p.pid()), "cat saw the end of its input and exited: " + stderr(p));
      long[] bytes = NativeSpawn.tcpBytes(a.fd());
      assertEquals(hello.length, bytes[0], "bytes from the client");
      assertEquals(hello.length, bytes[1], "bytes to the client, acknowledged");
      NativeSpawn.close(a.fd());
      assertEquals(-1, in.read(), "our copy was the last one: the connection is closed");
    }
  }

  @Test
  void aProgramThatCannotBeFoundIsReported() throws Exception {
    try (Socket client = client()) {
      HandoffListener.Accepted a = accepted.poll(10, TimeUnit.SECONDS);
      try {
        IOException e = assertThrows(IOException.class,
            () -> NativeSpawn.spawn(a.fd(), List.of("/nonexistent/sshd", "-i"), System.getenv()));
        assertTrue(e.getMessage().contains("/nonexistent/sshd"), e.getMessage());
      } finally {
        NativeSpawn.close(a.fd());
      }
      assertEquals(-1, client.getInputStream().read());
    }
  }

  private Socket client() throws IOException {
    Socket s = new Socket(InetAddress.getLoopbackAddress(), port);
    s.setSoTimeout(10_000);
    return s;
  }

  /** Runs argv on a fresh connection; what it wrote there. */
  private String run(String... argv) throws Exception {
    try (Socket client = client()) {
      HandoffListener.Accepted a = accepted.poll(10, TimeUnit.SECONDS);
      NativeSpawn.Spawned p;
      try {
        p = NativeSpawn.spawn(a.fd(), List.of(argv), System.getenv());
      } finally {
        NativeSpawn.close(a.fd());
      }
      String out = new String(client.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertEquals(0, NativeSpawn.waitFor(p.pid()), String.join(" ", argv) + ": " + stderr(p));
      return out;
    }
  }

  private static String stderr(NativeSpawn.Spawned p) throws IOException {
    // read(): FileInputStream.readAllBytes seeks, which a pipe refuses
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (InputStream err = p.stderr()) {
      err.transferTo(out);
    }
    return out.toString(StandardCharsets.UTF_8);
  }
}
