package io.hostmesh.api.shell;

import io.hostmesh.bus.Subscription;
import io.hostmesh.mesh.Mesh;
import io.hostmesh.schema.chrony.ChronyTopics;
import io.hostmesh.schema.https.HttpsTopics;
import io.hostmesh.schema.https.SimFirewall;
import io.hostmesh.schema.unit.UnitState;
import io.hostmesh.schema.unit.UnitTopics;
import io.vertx.core.Future;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code iptables} of a sim device, for the rules balena's suite uses to take the network away:
 * {@code -A|-I|-D|-C OUTPUT -p udp --dport 123 -j DROP} (NTP) and the same with {@code tcp} and
 * {@code 443} (HTTPS), {@code -L}, {@code -S}, {@code -F}. Any other rule is refused (exit 2).
 * The rules go to the sim's network model ({@link HttpsTopics#SIM_FIREWALL}), never the host's.
 *
 * <p>NTP blocked has a real effect on the device's real chronyd: its sources are taken
 * {@code offline} through its command socket, again whenever chronyd (re)starts or a source comes
 * back online (a {@code chronyc online} while blocked does not last), and {@code online} once the
 * last rule is gone. The health check then meets "No online NTP sources - forcing poll" as on a
 * device behind the rule. HTTPS blocked makes timesync-https's requests time out.
 *
 * <p>Threading: the API's event loop (the bus delivers there too).
 */
final class Iptables {
  /** The device's chronyd command socket (chrony-bridge's ChronyPaths.SOCKET). */
  static final String CHRONY_SOCKET = "/run/chrony/chronyd.sock";
  private static final Duration CHRONYC_TIMEOUT = Duration.ofSeconds(10);
  private static final Map<String, Integer> SERVICES = Map.of("ntp", 123, "123", 123, "https", 443, "443", 443);
  static final String REFUSED = "iptables (hostmesh sim): only OUTPUT rules that drop udp port 123 (NTP) or tcp port 443"
      + " (HTTPS) are emulated, e.g. iptables -A OUTPUT -p udp --dport 123 -j DROP";
  private static final String BAD_RULE = "iptables: Bad rule (does a matching rule exist in that chain?).";

  /** One emulated rule. */
  record Rule(String protocol, int port, String target) {
    String spec() {
      return "-A OUTPUT -p " + protocol + " -m " + protocol + " --dport " + port + " -j " + target;
    }
  }

  private final Mesh mesh;
  private final List<Rule> rules = new ArrayList<>();
  private final List<Subscription> subscriptions = new ArrayList<>();
  private boolean chronycRunning;

  Iptables(Mesh mesh) {
    this.mesh = mesh;
    // chronyd restarted (or a source back online) while NTP is blocked: offline again
    subscriptions.add(mesh.bus().subscribe(UnitTopics.STATE_CHANGES, c -> {
      if (c.unit().equals("chronyd") && c.state() == UnitState.ACTIVE && ntpBlocked()) {
        chronyc("offline");
      }
    }));
    subscriptions.add(mesh.bus().subscribe(ChronyTopics.STATUS, s -> {
      if (s.running() && ntpBlocked() && (s.selectedSource() != null || s.reachableSources() > 0)) {
        chronyc("offline");
      }
    }));
  }

  void close() {
    subscriptions.forEach(Subscription::cancel);
  }

  boolean ntpBlocked() {
    return rules.stream().anyMatch(r -> r.port == 123);
  }

  Future<ShellOutput> run(List<String> args) {
    String command = null;
    String chain = null;
    String protocol = null;
    String match = null;
    String port = null;
    String target = null;
    boolean numeric = false;
    for (int i = 0; i < args.size(); i++) {
      String a = args.get(i);
      String next = i + 1 < args.size() ? args.get(i + 1) : null;
      switch (a) {
        case "-A", "--append", "-D", "--delete", "-I", "--insert", "-C", "--check", "-L", "--list", "-S", "--list-rules",
            "-F", "--flush" -> {
          if (command != null) {
            return refuse("iptables v1.8.9 (hostmesh sim): Cannot use " + a + " with -" + command);
          }
          command = a.equals("--list-rules") ? "S" : a.startsWith("--") ? a.substring(2, 3).toUpperCase() : a.substring(1);
          if (next != null && !next.startsWith("-")) {
            chain = next;
            i++;
            if (command.equals("I") && i + 1 < args.size() && args.get(i + 1).matches("\\d+")) {
              i++; // the rule number: one rule per port, the position does not matter
            }
          }
        }
        case "-p", "--protocol" -> { protocol = next; i++; }
        case "-m", "--match" -> { match = next; i++; }
        case "--dport", "--destination-port" -> { port = next; i++; }
        case "-j", "--jump" -> { target = next; i++; }
        case "-t", "--table" -> {
          if (!"filter".equals(next)) {
            return refuse(REFUSED + " (table " + next + ")");
          }
          i++;
        }
        case "-n", "--numeric" -> numeric = true;
        case "-w", "--wait" -> {
          if (next != null && next.matches("\\d+")) {
            i++;
          }
        }
        case "-v", "--verbose", "--line-numbers", "-x", "--exact" -> { }
        default -> {
          return refuse(REFUSED + " (not emulated: " + a + ")");
        }
      }
    }
    if (command == null) {
      return refuse("iptables v1.8.9 (hostmesh sim): no command specified\nTry `iptables -h' or 'iptables --help' for more information.");
    }
    switch (command) {
      case "L" -> {
        return ShellOutput.out(list(chain, numeric)).now();
      }
      case "S" -> {
        StringBuilder b = new StringBuilder("-P INPUT ACCEPT\n-P FORWARD ACCEPT\n-P OUTPUT ACCEPT\n");
        rules.forEach(r -> b.append(r.spec()).append('\n'));
        return ShellOutput.out(b.toString()).now();
      }
      case "F" -> {
        if (chain == null || chain.equals("OUTPUT")) {
          boolean wasNtp = ntpBlocked();
          rules.clear();
          changed(wasNtp);
        }
        return ShellOutput.OK.now();
      }
      default -> { }
    }
    Integer p = port == null ? null : SERVICES.get(port);
    boolean ok = "OUTPUT".equals(chain) && p != null && (target != null && (target.equals("DROP") || target.equals("REJECT")))
        && (match == null || match.equals(protocol))
        && (p == 123 && "udp".equals(protocol) || p == 443 && "tcp".equals(protocol));
    if (!ok) {
      return refuse(REFUSED + " (not emulated: " + String.join(" ", args) + ")");
    }
    Rule rule = new Rule(protocol, p, target);
    boolean wasNtp = ntpBlocked();
    switch (command) {
      case "C" -> {
        return (rules.contains(rule) ? ShellOutput.OK : ShellOutput.error(1, BAD_RULE)).now();
      }
      case "D" -> {
        if (!rules.remove(rule)) {
          return ShellOutput.error(1, BAD_RULE).now();
        }
      }
      default -> rules.add(rule);
    }
    changed(wasNtp);
    return ShellOutput.OK.now();
  }

  private static Future<ShellOutput> refuse(String message) {
    return ShellOutput.error(2, message).now();
  }

  private void changed(boolean wasNtpBlocked) {
    mesh.bus().publish(HttpsTopics.SIM_FIREWALL, new SimFirewall(rules.stream().map(Rule::spec).toList(), ntpBlocked(),
        rules.stream().anyMatch(r -> r.port == 443)));
    if (ntpBlocked() != wasNtpBlocked) {
      chronyc(ntpBlocked() ? "offline" : "online");
    }
  }

  /** {@code chronyc offline|online} on the device's chronyd, one at a time; its absence is fine (no chronyd). */
  private void chronyc(String command) {
    if (chronycRunning && command.equals("offline")) {
      return;
    }
    chronycRunning = true;
    String program = mesh.settings().json().getJsonObject("units", new io.vertx.core.json.JsonObject())
        .getJsonObject("chronyd", new io.vertx.core.json.JsonObject()).getString("chronyc", "chronyc");
    String socket = mesh.platform().files().resolve(CHRONY_SOCKET).toString();
    mesh.platform().processes().run(List.of(program, "-h", socket, command), CHRONYC_TIMEOUT)
        .onComplete(ar -> chronycRunning = false);
  }

  private String list(String chain, boolean numeric) {
    StringBuilder b = new StringBuilder();
    for (String c : List.of("INPUT", "FORWARD", "OUTPUT")) {
      if (chain != null && !chain.equals(c)) {
        continue;
      }
      if (!b.isEmpty()) {
        b.append('\n');
      }
      b.append("Chain ").append(c).append(" (policy ACCEPT)\n");
      b.append(String.format("%-10s %-4s %-3s %-20s %-20s%n", "target", "prot", "opt", "source", "destination").stripTrailing()).append('\n');
      if (c.equals("OUTPUT")) {
        for (Rule r : rules) {
          String any = numeric ? "0.0.0.0/0" : "anywhere";
          String dpt = numeric ? Integer.toString(r.port) : r.port == 123 ? "ntp" : "https";
          b.append(String.format("%-10s %-4s %-3s %-20s %-20s %s dpt:%s%n", r.target, r.protocol, "--", any, any, r.protocol, dpt));
        }
      }
    }
    return b.toString();
  }
}
