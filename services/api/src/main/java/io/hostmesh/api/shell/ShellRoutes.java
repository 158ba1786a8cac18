package io.hostmesh.api.shell;

import io.hostmesh.mesh.Journal;
import io.hostmesh.mesh.JournalEntry;
import io.hostmesh.mesh.Mesh;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code POST /v1/shell/{command}}: the commands of an SSH session into a sim device (issue 17).
 * The shims bound on the session's {@code /usr/local/sbin} (ssh-socket) post their arguments here,
 * form-encoded ({@code arg=...}, repeated, in order); the answer's body is what the command prints
 * on standard output (streamed for {@code journalctl -f}), the header {@code Hostmesh-Exit} its
 * exit status and {@code Hostmesh-Stderr} its standard error, escaped for {@code printf %b}.
 * Only from the device itself (a loopback address). Sim profile only.
 *
 * <p>The address is written to {@value #URL_FILE} under the device root (in the session's view,
 * {@code /run/hostmesh/shell-api}) once the API listens, and removed when it stops.
 *
 * <p>Threading: the API's event loop.
 */
public final class ShellRoutes {
  /** Device path of the file naming the API for the shims. */
  public static final String URL_FILE = "/run/hostmesh/shell-api";
  /** Every command served; ssh-socket's shims are named after them (deploy's ShimsServedTest keeps both equal). */
  public static final List<String> COMMANDS = List.of("systemctl", "journalctl", "timedatectl", "hwclock", "udevadm",
      "iptables", "NetworkManager", "reboot", "poweroff", "date");
  static final int BODY_LIMIT = 64 * 1024;
  /** Standard error beyond this is cut: it travels in one header line. */
  static final int STDERR_LIMIT = 8 * 1024;

  private final Mesh mesh;
  private final ShellDevice device;
  private final JournalBoots boots;
  private final Systemctl systemctl;
  private final Journalctl journalctl;
  private final ClockCommands clock;
  private final DeviceCommands commands;
  private final Iptables iptables;
  private final Power power;
  private final Map<HttpServerResponse, Journal.Follow> following = new ConcurrentHashMap<>();

  /** Call on the API's event loop: the firewall's subscriptions deliver there. */
  public ShellRoutes(Mesh mesh, Vertx vertx) {
    this.mesh = mesh;
    this.device = new ShellDevice(mesh, vertx);
    this.boots = new JournalBoots(mesh, vertx);
    this.power = new Power(mesh.bus());
    this.systemctl = new Systemctl(device, power);
    this.journalctl = new Journalctl(device, boots);
    this.clock = new ClockCommands(device);
    this.commands = new DeviceCommands(device);
    this.iptables = new Iptables(mesh);
  }

  public void mount(Router router) {
    router.post("/v1/shell/:command").handler(BodyHandler.create(false).setBodyLimit(BODY_LIMIT)).handler(this::handle);
  }

  /** The API listens at {@code host:port}: tells the shims (and the boot history) where. */
  public Future<Void> announce(String host, int port) {
    String base = "http://" + loopback(host) + ":" + port;
    boots.api(base);
    return mesh.platform().files().write(URL_FILE, base + "\n", null);
  }

  /** Ends every {@code journalctl -f} (the API is stopping). */
  public void endAll() {
    following.forEach((r, f) -> {
      f.cancel();
      if (!r.ended()) {
        r.end();
      }
    });
    following.clear();
  }

  /** The API stops: streams end, the address file goes. Never fails. */
  public Future<Void> close() {
    endAll();
    iptables.close();
    boots.close();
    return mesh.platform().files().delete(URL_FILE).<Void>mapEmpty().otherwiseEmpty();
  }

  private void handle(RoutingContext rc) {
    var peer = rc.request().remoteAddress();
    if (peer == null || peer.hostAddress() == null || !isLoopback(peer.hostAddress())) {
      rc.response().setStatusCode(403).putHeader("Hostmesh-Exit", "1")
          .putHeader("Hostmesh-Stderr", ShellFormat.forPrintfB("the device's commands answer only the device itself\n"))
          .end();
      return;
    }
    String command = rc.pathParam("command");
    List<String> args = rc.request().formAttributes().getAll("arg");
    Future<ShellOutput> out;
    try {
      out = switch (command) {
        case "systemctl" -> systemctl.run(args);
        case "journalctl" -> journalctl.prepare(args).compose(p -> p.done() != null ? Future.succeededFuture(p.done())
            : follow(rc, p));
        case "timedatectl" -> clock.timedatectl(args);
        case "hwclock" -> clock.hwclock(args);
        case "date" -> clock.date(args);
        case "udevadm" -> commands.udevadm(args);
        case "NetworkManager" -> commands.networkManager(args);
        case "iptables" -> iptables.run(args);
        case "reboot", "poweroff" -> power.run(command, args);
        default -> Future.succeededFuture(ShellOutput.error(127, command + ": not a command of a sim device (these are: "
            + String.join(", ", COMMANDS) + ")"));
      };
    } catch (RuntimeException e) {
      out = Future.failedFuture(e);
    }
    out.otherwise(e -> ShellOutput.error(1, command + ": " + e.getMessage())).onSuccess(o -> {
      if (o != null) {
        answer(rc, o);
      }
    });
  }

  private static void answer(RoutingContext rc, ShellOutput o) {
    String err = o.stderr().length() > STDERR_LIMIT ? o.stderr().substring(0, STDERR_LIMIT) + "…\n" : o.stderr();
    rc.response().setStatusCode(o.exit() == 127 ? 404 : 200)
        .putHeader("content-type", "text/plain; charset=utf-8")
        .putHeader("Hostmesh-Exit", Integer.toString(o.exit()))
        .putHeader("Hostmesh-Stderr", ShellFormat.forPrintfB(err))
        .end(o.stdout());
  }

  /**
   * {@code journalctl -f}: the chosen lines, then every new matching line as it is logged, until
   * the client goes or the device stops. A reader that does not keep up has lines skipped (and is
   * told how many), never the device's memory filled. Completes with null: the answer is written here.
   */
  private Future<ShellOutput> follow(RoutingContext rc, Journalctl.Prepared p) {
    HttpServerResponse r = rc.response().setChunked(true).putHeader("content-type", "text/plain; charset=utf-8")
        .putHeader("Hostmesh-Exit", "0").putHeader("Hostmesh-Stderr", "");
    r.write(p.initial());
    Context context = Vertx.currentContext();
    long[] lastShown = {p.lastShown()};
    int[] dropped = {0};
    Journal.Follow f = mesh.journal().follow(Journal.Query.ALL.after(p.snapshot()), e -> context.runOnContext(v -> {
      if (r.ended() || e.seq() <= lastShown[0] || !p.filter().test(e)) {
        return;
      }
      lastShown[0] = e.seq();
      if (r.writeQueueFull()) {
        dropped[0]++;
        return;
      }
      if (dropped[0] > 0) {
        r.write("-- " + dropped[0] + " lines skipped: this reader did not keep up --\n");
        dropped[0] = 0;
      }
      r.write(p.format().apply(e) + "\n");
    }));
    following.put(r, f);
    // the backlog: lines logged between the choice and the follow
    for (JournalEntry e : f.backlog()) {
      if (e.seq() > lastShown[0] && p.filter().test(e)) {
        lastShown[0] = e.seq();
        r.write(p.format().apply(e) + "\n");
      }
    }
    r.closeHandler(v -> {
      f.cancel();
      following.remove(r);
    });
    return Future.succeededFuture(null);
  }

  /** Where a client on the device reaches an API bound to {@code host} (a wildcard is reached on loopback). */
  static String loopback(String host) {
    if (host == null || host.isEmpty() || host.equals("0.0.0.0")) {
      return "127.0.0.1";
    }
    if (host.equals("::")) {
      return "[::1]";
    }
    return host.contains(":") ? "[" + host + "]" : host;
  }

  private static boolean isLoopback(String address) {
    try {
      return InetAddress.getByName(address).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }
}
