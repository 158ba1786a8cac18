package io.hostmesh.api.shell;

import io.hostmesh.mesh.JournalEntry;
import io.hostmesh.mesh.Journal;
import io.hostmesh.mesh.MeshHealth;
import io.hostmesh.mesh.UnitRequestRefused;
import io.hostmesh.mesh.UnitResult;
import io.hostmesh.mesh.UnitStatus;
import io.hostmesh.schema.ssh.SshSocketControl;
import io.hostmesh.schema.ssh.SshTopics;
import io.hostmesh.schema.unit.UnitState;
import io.vertx.core.Future;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * {@code systemctl} over SSH, for the mesh's units under their balenaOS names ({@link UnitNames}):
 * {@code status}, {@code is-active}, {@code is-failed}, {@code is-enabled}, {@code start},
 * {@code stop}, {@code restart}, {@code try-restart}, {@code reset-failed}, {@code show},
 * {@code list-units}, {@code is-system-running}, {@code daemon-reload}, {@code reboot},
 * {@code poweroff}. Output and exit statuses as systemd 250 prints them (3 for a unit not active,
 * 4 for no such unit in {@code status}, 5 for a job on one). {@code show} and {@code list-units}
 * are {@link SystemctlViews}.
 */
final class Systemctl {
  /** A job that has not settled by then is reported as timed out (systemd would wait on). */
  static final Duration JOB_TIMEOUT = Duration.ofSeconds(90);
  private static final Set<String> VALUE_OPTIONS = Set.of("-p", "--property", "-n", "--lines", "-t", "--type", "--state");
  private static final Set<String> FLAGS = Set.of("--no-pager", "-q", "--quiet", "--no-block", "--value", "-a", "--all",
      "-l", "--full", "--plain", "--no-legend", "--failed", "-f", "--force", "--no-ask-password", "--system");

  private final ShellDevice device;
  private final Power power;

  Systemctl(ShellDevice device, Power power) {
    this.device = device;
    this.power = power;
  }

  /** The parsed command line. */
  private record Line(String verb, List<String> units, Set<String> flags, List<String> properties, int lines,
      List<String> types, List<String> states) {
    boolean has(String... names) {
      for (String n : names) {
        if (flags.contains(n)) {
          return true;
        }
      }
      return false;
    }
  }

  Future<ShellOutput> run(List<String> args) {
    Line l;
    try {
      l = parse(args);
    } catch (IllegalArgumentException e) {
      return ShellOutput.error(1, e.getMessage()).now();
    }
    return switch (l.verb) {
      case "status" -> device.hostname().map(h -> status(l, h));
      case "is-active" -> is(l, SystemdUnit::active, u -> u.activeState(), "inactive", 3).now();
      case "is-failed" -> is(l, SystemdUnit::failed, u -> u.activeState(), "inactive", 1).now();
      case "is-enabled" -> isEnabled(l).now();
      case "start", "restart", "try-restart", "reload-or-restart", "stop" -> jobs(l);
      case "reset-failed" -> resetFailed(l);
      case "show" -> SystemctlViews.show(device, l.units, l.properties, l.has("--value"), systemState()).now();
      case "list-units" -> SystemctlViews.listUnits(device, l.units, l.types, l.states, l.has("-a", "--all"),
          !l.has("--no-legend"), l.has("--plain")).now();
      case "is-system-running" -> systemRunning().now();
      case "daemon-reload", "daemon-reexec" -> ShellOutput.OK.now();
      case "reboot", "poweroff" -> power.request(l.verb, "systemctl " + l.verb);
      default -> ShellOutput.error(1, "Unknown command verb " + l.verb + ".").now();
    };
  }

  private static Line parse(List<String> args) {
    String verb = null;
    List<String> units = new ArrayList<>();
    Set<String> flags = new LinkedHashSet<>();
    List<String> properties = new ArrayList<>();
    List<String> types = new ArrayList<>();
    List<String> states = new ArrayList<>();
    int lines = 10;
    for (int i = 0; i < args.size(); i++) {
      String a = args.get(i);
      String name = a;
      String value = null;
      int eq = a.indexOf('=');
      if (a.startsWith("--") && eq > 0) {
        name = a.substring(0, eq);
        value = a.substring(eq + 1);
      } else if (a.startsWith("-") && !a.startsWith("--") && a.length() > 2 && VALUE_OPTIONS.contains(a.substring(0, 2))) {
        name = a.substring(0, 2);
        value = a.substring(2);
      }
      if (VALUE_OPTIONS.contains(name)) {
        if (value == null) {
          if (i + 1 >= args.size()) {
            throw new IllegalArgumentException("systemctl: option '" + name + "' requires an argument");
          }
          value = args.get(++i);
        }
        switch (name) {
          case "-p", "--property" -> properties.addAll(List.of(value.split(",")));
          case "-t", "--type" -> types.addAll(List.of(value.split(",")));
          case "--state" -> states.addAll(List.of(value.split(",")));
          default -> {
            try {
              lines = Integer.parseInt(value);
            } catch (NumberFormatException e) {
              throw new IllegalArgumentException("Failed to parse lines '" + value + "'");
            }
          }
        }
      } else if (FLAGS.contains(a)) {
        flags.add(a);
      } else if (a.startsWith("-") && a.length() > 1) {
        throw new IllegalArgumentException("systemctl: unrecognized option '" + a + "'");
      } else if (verb == null) {
        verb = a;
      } else {
        units.add(a);
      }
    }
    if (flags.contains("--failed")) {
      states.add("failed");
    }
    return new Line(verb == null ? "list-units" : verb, units, flags, properties, lines, types, states);
  }

  private ShellOutput status(Line l, String hostname) {
    if (l.units.isEmpty()) {
      return ShellOutput.out(hostname + "\n    State: " + systemState() + "\n    Units: " + device.mesh.units().size()
          + " loaded (hostmesh)\n");
    }
    StringBuilder out = new StringBuilder();
    StringBuilder err = new StringBuilder();
    int exit = 0;
    for (String name : l.units) {
      Optional<SystemdUnit> u = device.find(name).flatMap(device::unit);
      if (u.isEmpty()) {
        err.append("Unit ").append(UnitNames.canonical(name)).append(" could not be found.\n");
        exit = 4;
        continue;
      }
      out.append(out.isEmpty() ? "" : "\n").append(render(u.get(), device.now(), hostname, l.lines));
      exit = Math.max(exit, u.get().active() ? 0 : 3);
    }
    return new ShellOutput(out.toString(), err.toString(), exit);
  }

  /** {@code systemctl status UNIT} as systemd 250 prints it. */
  private String render(SystemdUnit u, java.time.Instant now, String hostname, int lines) {
    StringBuilder b = new StringBuilder();
    String name = u.entry().name();
    b.append(u.failed() ? "× " : "● ").append(name).append(" - ").append(u.status().description()).append('\n');
    if (u.loadState().equals("masked")) {
      b.append("     Loaded: masked (Reason: Unit ").append(name).append(" is masked.)\n");
    } else {
      b.append("     Loaded: loaded (/lib/systemd/system/").append(name).append("; ").append(u.unitFileState())
          .append("; vendor preset: enabled)\n");
    }
    b.append("     Active: ").append(u.activeState()).append(" (");
    b.append(u.failed() ? "Result: " + u.result() : u.subState()).append(')');
    if (u.since() != null && !u.activeState().equals("inactive")) {
      b.append(" since ").append(ShellFormat.since(u.since(), now));
    }
    b.append('\n');
    if (u.status().state() == UnitState.SKIPPED) {
      b.append("  Condition: start condition failed").append(u.since() == null ? "" : " at " + ShellFormat.since(u.since(), now))
          .append("\n             └─ ").append(u.status().detail()).append('\n');
    } else if (!u.statusText().isEmpty()) {
      b.append("     Status: \"").append(u.statusText()).append("\"\n");
    }
    if (u.status().restarts() > 0) {
      b.append("   Restarts: ").append(u.status().restarts()).append('\n');
    }
    b.append("   Main PID: ").append(ShellDevice.PID).append(" (hostmesh)\n");
    List<JournalEntry> log = device.mesh.journal().query(Journal.Query.ALL.unit(u.entry().unit()).lines(0)).stream()
        .filter(e -> u.entry().messages().test(e.message())).toList();
    if (lines > 0 && !log.isEmpty()) {
      b.append('\n');
      log.subList(Math.max(0, log.size() - lines), log.size()).forEach(e -> b.append(ShellDevice.line(e, hostname)).append('\n'));
    }
    return b.toString();
  }

  private ShellOutput is(Line l, java.util.function.Predicate<SystemdUnit> test,
      java.util.function.Function<SystemdUnit, String> shown, String unknown, int notMatching) {
    if (l.units.isEmpty()) {
      return ShellOutput.error(1, "Too few arguments.");
    }
    StringBuilder out = new StringBuilder();
    boolean any = false;
    for (String name : l.units) {
      Optional<SystemdUnit> u = device.find(name).flatMap(device::unit);
      out.append(u.map(shown).orElse(unknown)).append('\n');
      any |= u.map(test::test).orElse(false);
    }
    return ShellOutput.out(l.has("-q", "--quiet") ? "" : out.toString(), any ? 0 : notMatching);
  }

  private ShellOutput isEnabled(Line l) {
    if (l.units.isEmpty()) {
      return ShellOutput.error(1, "Too few arguments.");
    }
    StringBuilder out = new StringBuilder();
    boolean enabled = false;
    for (String name : l.units) {
      Optional<SystemdUnit> u = device.find(name).flatMap(device::unit);
      if (u.isEmpty()) {
        return new ShellOutput(out.toString(), "Failed to get unit file state for " + UnitNames.canonical(name)
            + ": No such file or directory\n", 1);
      }
      out.append(u.get().unitFileState()).append('\n');
      enabled |= !u.get().unitFileState().equals("masked");
    }
    return ShellOutput.out(l.has("-q", "--quiet") ? "" : out.toString(), enabled ? 0 : 1);
  }

  /** start, stop, restart: one job per unit, one after the other; each waits for its unit to settle. */
  private Future<ShellOutput> jobs(Line l) {
    if (l.units.isEmpty()) {
      return ShellOutput.error(1, "Too few arguments.").now();
    }
    Future<ShellOutput> chain = Future.succeededFuture(ShellOutput.OK);
    for (String name : l.units) {
      chain = chain.compose(sofar -> job(l, name).map(sofar::then));
    }
    return chain;
  }

  private Future<ShellOutput> job(Line l, String name) {
    String verb = l.verb.equals("reload-or-restart") ? "restart" : l.verb;
    String failedTo = "Failed to " + verb + " " + UnitNames.canonical(name) + ": ";
    Optional<UnitNames.Entry> e = device.find(name);
    Optional<SystemdUnit> u = e.flatMap(device::unit);
    if (u.isEmpty()) {
      return ShellOutput.error(5, failedTo + "Unit " + UnitNames.canonical(name) + " not found.").now();
    }
    SystemdUnit unit = u.get();
    String id = unit.entry().name();
    if (unit.loadState().equals("masked")) {
      return ShellOutput.error(1, "Failed to " + verb + " " + id + ": Unit " + id + " is masked.").now();
    }
    if (verb.equals("try-restart") && !unit.active()) {
      return ShellOutput.OK.now();
    }
    if (verb.equals("start") && unit.active()) {
      return ShellOutput.OK.now();
    }
    String meshUnit = unit.entry().unit();
    Future<UnitStatus> done;
    switch (unit.entry().kind()) {
      case SOCKET -> {
        if (verb.equals("stop")) {
          return ShellOutput.error(1, "Failed to stop " + id + ": not emulated on a sim device (it would end this session).").now();
        }
        return control(SshSocketControl.Action.RESTART, id);
      }
      case JOB -> {
        if (verb.equals("stop")) {
          return ShellOutput.OK.now();
        }
        return id.startsWith("recover-sshd-socket") ? control(SshSocketControl.Action.RECOVER, id) : ShellOutput.OK.now();
      }
      case TIMER -> {
        return ShellOutput.OK.now();
      }
      default -> done = verb.equals("stop") ? device.mesh.stop(meshUnit) : device.mesh.restart(meshUnit);
    }
    if (l.has("--no-block")) {
      return ShellOutput.OK.now();
    }
    return settled(done).map(s -> verb.equals("stop") ? ShellOutput.OK : outcome(id, s))
        .recover(x -> Future.succeededFuture(x instanceof UnitRequestRefused r
            ? ShellOutput.error(r.reason() == UnitRequestRefused.Reason.NO_SUCH_UNIT ? 5 : 1, failedTo + x.getMessage())
            : ShellOutput.error(1, "Job for " + id + " " + x.getMessage())));
  }

  /** The job's end, bounded: a unit whose requirements never come would hold the session forever. */
  private Future<UnitStatus> settled(Future<UnitStatus> done) {
    io.vertx.core.Promise<UnitStatus> p = io.vertx.core.Promise.promise();
    var timer = device.mesh.platform().scheduler().realTime().schedule(JOB_TIMEOUT,
        () -> p.tryFail("timed out (still not settled after " + JOB_TIMEOUT.toSeconds() + " s)."));
    done.onComplete(ar -> {
      timer.cancel();
      if (ar.succeeded()) {
        p.tryComplete(ar.result());
      } else {
        p.tryFail(ar.cause());
      }
    });
    return p.future();
  }

  private static ShellOutput outcome(String id, UnitStatus s) {
    if (s.state() != UnitState.FAILED) {
      return ShellOutput.OK;
    }
    String see = "See \"systemctl status " + id + "\" and \"journalctl -xeu " + id + "\" for details.";
    if (s.result() == UnitResult.START_LIMIT_HIT) {
      return ShellOutput.error(1, "Job for " + id + " failed because start of the service was attempted too often.\n"
          + see + "\nTo force a start use \"systemctl reset-failed " + id + "\"\nfollowed by \"systemctl start " + id
          + "\" again.");
    }
    return ShellOutput.error(1, "Job for " + id + " failed because the control process exited with error code.\n" + see);
  }

  private Future<ShellOutput> control(SshSocketControl.Action action, String id) {
    return device.mesh.bus().request(SshTopics.CONTROL, new SshSocketControl(action, "shell"))
        .map(s -> ShellOutput.OK)
        .otherwise(e -> ShellOutput.error(1, "Job for " + id + " failed: " + e.getMessage()));
  }

  private Future<ShellOutput> resetFailed(Line l) {
    List<String> names = l.units.isEmpty() ? device.units().stream().map(u -> u.entry().name()).toList() : l.units;
    Future<ShellOutput> chain = Future.succeededFuture(ShellOutput.OK);
    for (String name : names) {
      Optional<UnitNames.Entry> e = device.find(name);
      chain = chain.compose(sofar -> e.isEmpty()
          ? Future.succeededFuture(sofar.then(ShellOutput.error(1, "Failed to reset failed state of unit "
              + UnitNames.canonical(name) + ": Unit " + UnitNames.canonical(name) + " not loaded.")))
          : device.mesh.resetFailed(e.get().unit()).map(s -> sofar).otherwise(sofar));
    }
    return chain;
  }

  private ShellOutput systemRunning() {
    String state = systemState();
    return ShellOutput.out(state + "\n", state.equals("running") ? 0 : 1);
  }

  private String systemState() {
    if (!device.mesh.allSettled()) {
      return "starting";
    }
    MeshHealth.Report r = MeshHealth.of(device.mesh.settings()).report(device.mesh);
    return r.status() == MeshHealth.Level.UP ? "running" : "degraded";
  }
}
