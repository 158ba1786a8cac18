package io.hostmesh.fleet;

import io.hostmesh.platform.ProcessResult;
import io.hostmesh.platform.Processes;
import io.vertx.core.Future;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongPredicate;
import java.util.function.LongSupplier;

/**
 * A fleet device's programs: no process is ever started. {@code chronyd} is a model of what the
 * daemon exposes to chrony-bridge, and {@code chronyc} answers from it, so the bridge's start,
 * health check ({@code sources}, {@code burst}, {@code waitsync}), status polls and restarts run
 * unchanged:
 *
 * <ul>
 *   <li>a started chronyd selects its source ({@code ^*}) {@code syncDelay} after it started, while
 *       the NTP servers are reachable from the device ({@code reachable}); unreachable, the source
 *       shows {@code ?} with reach 0 ("No online NTP sources"), and {@code waitsync} fails, so 60
 *       failing tries give "NTP time lost synchronization" and a restart;
 *   <li>its reference time ({@code tracking}) is its last poll of the source, every 64 s since it
 *       selected it;
 *   <li>its correction is 0: the partition's clock is true time, so the bridge steps the device's
 *       clock to it as under {@code chronyd -x} in sim ({@code makestep 1 -1}) when it is off by more
 *       than a second, and the model slews a smaller error away as chronyd would ({@link #slew});
 *   <li>every other program (udevadm, hostname, systemctl ...) is recorded: exit 0, nothing runs.
 * </ul>
 */
final class FleetProcesses implements Processes {
  private final LongSupplier now;
  private final LongSupplier trueMillis;
  private final LongPredicate reachable;
  private final LongSupplier syncDelayMillis;
  private final List<ModelProcess> running = new ArrayList<>();
  private ModelProcess chronyd;
  private long selectableAt = Long.MAX_VALUE;
  private long commands;
  private long lastSlew;
  /** chronyd's poll interval: {@code 6} (64 s) in the sources line. */
  private static final long POLL_MILLIS = 64_000;
  private long trackingRef;
  private String trackingLine;
  private java.util.function.LongSupplier clockError = () -> 0;
  private java.util.function.LongConsumer slewBy = d -> { };

  /**
   * @param now virtual milliseconds
   * @param trueMillis true time
   * @param reachable whether the NTP servers answer the device at a virtual time
   * @param syncDelayMillis how long a started chronyd takes to select a source (drawn per start)
   */
  FleetProcesses(LongSupplier now, LongSupplier trueMillis, LongPredicate reachable, LongSupplier syncDelayMillis) {
    this.now = now;
    this.trueMillis = trueMillis;
    this.reachable = reachable;
    this.syncDelayMillis = syncDelayMillis;
  }

  /** The device clock chronyd disciplines: its error (device minus true, ms) and a slew (ms to add). */
  void disciplines(java.util.function.LongSupplier clockError, java.util.function.LongConsumer slewBy) {
    this.clockError = clockError;
    this.slewBy = slewBy;
  }

  long commands() {
    return commands;
  }

  /**
   * chronyd slews a clock that is off by less than its step threshold towards NTP time, at most
   * 83 ms per second (chrony's maxslewrate, 83333 ppm); larger errors are the bridge's step.
   */
  private void slew() {
    long t = now.getAsLong();
    long elapsed = Math.max(0, t - lastSlew);
    lastSlew = t;
    long err = clockError.getAsLong();
    if (err != 0 && Math.abs(err) <= 1000) {
      long by = Math.min(Math.abs(err), elapsed * 83 / 1000);
      slewBy.accept(err > 0 ? -by : by);
    }
  }

  private boolean selected() {
    long t = now.getAsLong();
    return chronyd != null && chronyd.isAlive() && t >= selectableAt && reachable.test(t);
  }

  // chronyc's answers that do not depend on time, built once: the status poll asks every 16 s per device
  private static final String SOURCES_SELECTED = "^,*,192.0.2.123,2,6,377,12,0.000000100,0.000000100,0.000500000\n";
  private static final String SOURCES_UNREACHABLE = "^,?,192.0.2.123,0,6,0,-,0.000000000,0.000000000,0.000000000\n";
  private static final String TRACKING_NONE =
      "00000000,,0,0.000,0.000000000,0.000000000,0.000000000,0.0,0.0,0.0,0.0,0.0,0.0,Not synchronised\n";
  private static final String TRACKING_TAIL = ",0.000000000,0.000000000,0.000000000,0.0,0.0,0.0,0.0,0.0,64.0,Normal\n";
  private static final String WAITSYNC_OK = "try: 1, refid: C000027B, correction: 0.000000000, skew: 0.000\n";
  private static final String WAITSYNC_NONE = "try: 1, refid: 00000000, correction: 0.000000000, skew: 0.000\n";

  @Override
  public Future<ProcessResult> run(List<String> argv, Duration timeout) {
    commands++;
    if (argv.isEmpty() || !program(argv.get(0)).equals("chronyc")) {
      return Future.succeededFuture(new ProcessResult(argv, 0, "", "", true));
    }
    // chronyc -h SOCKET [-c] [-n] [-m] COMMAND...: the command is the first word that is not an
    // option (a negative number is a word); no regex, no split: this runs millions of times a day
    String command = null;
    for (int i = 1; i < argv.size() && command == null; i++) {
      String w = argv.get(i);
      if (w.equals("-h")) {
        i++;
      } else if (!w.startsWith("-") || number(w)) {
        int space = w.indexOf(' ');
        command = space < 0 ? w : w.substring(0, space);
      }
    }
    if (chronyd == null || !chronyd.isAlive()) {
      return answer(argv, 1, "", "506 Cannot talk to daemon");
    }
    boolean sel = selected();
    if (sel) {
      slew();
    }
    return switch (command == null ? "" : command) {
      case "sources" -> answer(argv, 0, sel ? SOURCES_SELECTED : SOURCES_UNREACHABLE, "");
      case "tracking" -> answer(argv, 0, sel ? tracking() : TRACKING_NONE, "");
      case "waitsync" -> sel ? answer(argv, 0, WAITSYNC_OK, "") : answer(argv, 1, WAITSYNC_NONE, "");
      case "burst", "onoffline", "makestep", "reload", "online", "offline" -> answer(argv, 0, "200 OK\n", "");
      default -> answer(argv, 1, "", "Unrecognized command");
    };
  }

  private static String program(String path) {
    return path.substring(path.lastIndexOf('/') + 1);
  }

  /** {@code -?[0-9.]+}. */
  static boolean number(String w) {
    int start = w.startsWith("-") ? 1 : 0;
    if (w.length() == start) {
      return false;
    }
    for (int i = start; i < w.length(); i++) {
      char c = w.charAt(i);
      if ((c < '0' || c > '9') && c != '.') {
        return false;
      }
    }
    return true;
  }

  /**
   * chronyd's reference time is its last clock update, one per poll of its source (2^6 s, the
   * {@code 6} in the sources line) since it selected it; the line is made once per poll.
   */
  private String tracking() {
    long t = now.getAsLong();
    long ref = selectableAt + (t - selectableAt) / POLL_MILLIS * POLL_MILLIS;
    if (ref != trackingRef || trackingLine == null) {
      trackingRef = ref;
      trackingLine = tracking(trueMillis.getAsLong() - (t - ref));
    }
    return trackingLine;
  }

  /** {@code chronyc -c tracking} of a synchronised chronyd: the reference time as seconds with 3 decimals. */
  static String tracking(long trueMillis) {
    long ms = Math.floorMod(trueMillis, 1000L);
    StringBuilder b = new StringBuilder(128).append("C000027B,192.0.2.123,3,").append(Math.floorDiv(trueMillis, 1000L))
        .append('.');
    if (ms < 100) {
      b.append(ms < 10 ? "00" : "0");
    }
    return b.append(ms).append(TRACKING_TAIL).toString();
  }

  private static Future<ProcessResult> answer(List<String> argv, int exit, String out, String err) {
    return Future.succeededFuture(new ProcessResult(argv, exit, out, err, false));
  }

  @Override
  public Future<Process> spawn(List<String> argv, Map<String, String> environment) {
    String program = argv.isEmpty() ? "" : program(argv.get(0));
    if (!program.equals("chronyd")) {
      return Future.failedFuture("a fleet device runs no " + program);
    }
    commands++;
    ModelProcess p = new ModelProcess(4000 + running.size());
    running.add(p);
    chronyd = p;
    selectableAt = now.getAsLong() + syncDelayMillis.getAsLong();
    lastSlew = selectableAt;
    trackingLine = null;
    return Future.succeededFuture(p);
  }

  @Override
  public boolean available(String program) {
    return true;
  }

  /** The device stops or loses power: its daemons end. */
  void killAll() {
    for (ModelProcess p : List.copyOf(running)) {
      p.destroyForcibly();
    }
    running.clear();
    chronyd = null;
  }

  /**
   * A daemon that runs only in the model: no output, alive until destroyed, then exit status 143
   * (SIGTERM). Its exit completes on the destroying thread (the partition's loop).
   */
  private final class ModelProcess extends Process {
    private final long pid;
    private final CompletableFuture<Process> exit = new CompletableFuture<>();
    private boolean alive = true;

    ModelProcess(long pid) {
      this.pid = pid;
    }

    @Override
    public OutputStream getOutputStream() {
      return OutputStream.nullOutputStream();
    }

    @Override
    public InputStream getInputStream() {
      return InputStream.nullInputStream();
    }

    @Override
    public InputStream getErrorStream() {
      return InputStream.nullInputStream();
    }

    @Override
    public int waitFor() {
      throw new UnsupportedOperationException("a fleet daemon is never waited for (it would block the partition)");
    }

    @Override
    public int exitValue() {
      if (alive) {
        throw new IllegalThreadStateException("running");
      }
      return 143;
    }

    @Override
    public void destroy() {
      if (alive) {
        alive = false;
        running.remove(this);
        exit.complete(this);
      }
    }

    @Override
    public Process destroyForcibly() {
      destroy();
      return this;
    }

    @Override
    public boolean isAlive() {
      return alive;
    }

    @Override
    public long pid() {
      return pid;
    }

    @Override
    public CompletableFuture<Process> onExit() {
      return exit;
    }
  }
}
