package io.hostmesh.hostos;

import io.hostmesh.mesh.BootLog;
import io.hostmesh.mesh.BootSummary;
import io.hostmesh.mesh.Journal;
import io.hostmesh.mesh.JournalEntry;
import io.hostmesh.mesh.KeptBoot;
import io.hostmesh.mesh.Mesh;
import io.hostmesh.mesh.UnitStatus;
import io.hostmesh.platform.Scheduler;
import io.hostmesh.schema.hostos.BootDecision;
import io.hostmesh.schema.unit.UnitStateChanged;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The boots a {@link SimLifecycle} device keeps across reboots in one process: the last
 * {@value #BOOTS} boot attempts, each with its bootloader decision, times, how it ended, and —
 * once it has ended — its journal, timeline and boot summary (the running boot's are its mesh's).
 *
 * <p>Bounds, so a device rebooted all day keeps a fixed amount: the ended boots together keep at
 * most {@code journal.size} journal lines (the running boot has its own ring of that size) and
 * {@code timeline.size} timeline entries, the settings of the boot that ended last; past that
 * the oldest lines of the oldest boots go first, as journald vacuums its oldest files. A power cut
 * loses no line here, unlike journald on a device, which loses what it had not flushed.
 *
 * <p>Device times: a boot that reached userspace is timed by its mesh's clock; one that never
 * did has no clock of its own and gets the host time shifted as the device clock was last seen.
 *
 * <p>Threading: written on the lifecycle's context, read from any thread (the HTTP API); every
 * method is synchronized and answers snapshots.
 */
final class BootHistory implements BootLog {
  static final int BOOTS = 64;

  private final Scheduler scheduler;
  private final ArrayDeque<Boot> boots = new ArrayDeque<>();
  /** Device time minus host time, as last seen on a mesh's clock. */
  private long offsetMillis;

  /** One boot; mutable, guarded by the history. */
  private static final class Boot {
    final BootDecision decision;
    final long startedMillis;
    Instant started;
    long endedMillis = -1;
    Instant ended;
    String end = KeptBoot.RUNNING;
    String reason = "";
    String outcome = KeptBoot.RUNNING;
    Ending ending;
    List<JournalEntry> journal = List.of();
    List<Object> timeline = List.of();

    Boot(BootDecision decision, long startedMillis, Instant started) {
      this.decision = decision;
      this.startedMillis = startedMillis;
      this.started = started;
    }
  }

  /** A boot as it stood when it began to end: taken before its units stop (then every one is inactive). */
  record Ending(BootSummary summary, List<UnitStatus> units) {
    static Ending of(Mesh m) {
      return new Ending(m.boot(), m.units());
    }
  }

  BootHistory(Scheduler scheduler) {
    this.scheduler = scheduler;
  }

  /** A boot attempt begins (the bootloader has decided); it counts as running until it ends. */
  synchronized void begin(BootDecision d, long startedMillis) {
    boots.addLast(new Boot(d, startedMillis, deviceNow(null)));
    while (boots.size() > BOOTS) {
      boots.removeFirst();
    }
  }

  /** The running boot's mesh is built: its clock times the boot from now on. */
  synchronized void meshBuilt(Mesh m) {
    last().started = deviceNow(m);
  }

  /** The boot failed before any unit started (no init): nothing was logged, nothing ran. */
  synchronized void failedEarly(String why) {
    Boot b = last();
    b.endedMillis = b.startedMillis;
    b.ended = b.started;
    b.end = KeptBoot.FAILED;
    b.reason = why;
    b.outcome = "boot failed: " + why;
  }

  /**
   * The running boot ended: {@code end} one of {@link KeptBoot#REBOOT}, {@link KeptBoot#POWEROFF},
   * {@link KeptBoot#POWER_CUT}, {@link KeptBoot#FAILED}; {@code outcome} the line
   * {@link BootRecord#end()} shows; {@code ending} taken before its units stopped.
   */
  synchronized void ended(String end, String reason, String outcome, Mesh m, Ending ending) {
    Boot b = last();
    b.endedMillis = scheduler.uptimeMillis();
    b.ended = deviceNow(m);
    b.end = end;
    b.reason = reason;
    b.outcome = outcome;
    b.ending = ending;
    b.journal = m.journal().query(Journal.Query.ALL);
    b.timeline = m.timelineEntries();
    bound(m.journal().capacity(), x -> x.journal, (x, kept) -> x.journal = kept);
    bound(m.timelineSize(), x -> x.timeline, (x, kept) -> x.timeline = kept);
  }

  /** Drops the oldest entries of the oldest boots until the ended boots together hold at most {@code budget}. */
  private <T> void bound(int budget, Function<Boot, List<T>> get, java.util.function.BiConsumer<Boot, List<T>> set) {
    long total = boots.stream().mapToLong(b -> get.apply(b).size()).sum();
    for (Boot b : boots) {
      if (total <= budget) {
        return;
      }
      List<T> l = get.apply(b);
      int drop = (int) Math.min(l.size(), total - budget);
      if (drop > 0) {
        set.accept(b, List.copyOf(l.subList(drop, l.size())));
        total -= drop;
      }
    }
  }

  /** The boot attempts as {@link SimLifecycle#history()} shows them, oldest first. */
  synchronized List<BootRecord> records() {
    List<BootRecord> out = new ArrayList<>(boots.size());
    for (Boot b : boots) {
      List<UnitStateChanged> changes = new ArrayList<>();
      b.timeline.forEach(e -> {
        if (e instanceof UnitStateChanged c) {
          changes.add(c);
        }
      });
      out.add(new BootRecord(b.decision, b.startedMillis, b.endedMillis, b.outcome, changes));
    }
    return out;
  }

  @Override
  public synchronized List<KeptBoot> boots() {
    List<KeptBoot> out = new ArrayList<>(boots.size());
    for (Boot b : boots) {
      out.add(new KeptBoot(b.decision.bootId(), b.started, b.ended, b.end, b.reason, b.decision,
          b.ending == null ? null : b.ending.summary(), b.ending == null ? List.of() : b.ending.units(), b.journal, b.timeline));
    }
    return out;
  }

  private Boot last() {
    return boots.getLast();
  }

  /** The device's time: its mesh's clock (remembering the offset), else host time plus the last offset seen. */
  private Instant deviceNow(Mesh m) {
    long host = scheduler.hostMillis();
    if (m == null) {
      return Instant.ofEpochMilli(host + offsetMillis);
    }
    Instant now = m.platform().clock().now();
    offsetMillis = now.toEpochMilli() - host;
    return now;
  }
}
