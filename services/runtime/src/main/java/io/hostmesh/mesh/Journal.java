package io.hostmesh.mesh;

import io.hostmesh.schema.unit.LogLine;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The device's journal: the last {@code journal.size} log lines of every unit (setting, default
 * {@value #DEFAULT_CAPACITY}), oldest first, in memory only, like journald with
 * {@code Storage=volatile}. Lines past the size fall out of the ring ({@link #dropped()}); a
 * message longer than {@value #MAX_MESSAGE} characters is cut (journald's {@code LineMax=}
 * does the same), so the ring's memory is bounded too.
 *
 * <p>Threading: units log from their own contexts and from workers, so every method may be
 * called from any thread; {@link #follow} listeners run on the thread that logged the line and
 * must only hand it on (to an event loop, a queue).
 */
public final class Journal {
  static final int DEFAULT_CAPACITY = 10_000;
  /** Longest message kept, in characters. */
  static final int MAX_MESSAGE = 8192;

  private final String boot;
  private final int capacity;
  private final ArrayDeque<JournalEntry> ring;
  private final List<Consumer<JournalEntry>> followers = new CopyOnWriteArrayList<>();
  private long nextSeq = 1;
  private long dropped;

  Journal(String boot, int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("journal.size must be at least 1: " + capacity);
    }
    this.boot = boot;
    this.capacity = capacity;
    this.ring = new ArrayDeque<>(Math.min(capacity, 1024));
  }

  /** Which lines a query returns; {@link #ALL} and the {@code with...} methods build one. */
  public record Query(String unit, Instant since, long after, int lines) {
    /** Every line in the ring. */
    public static final Query ALL = new Query(null, null, 0, 0);

    /** Only this unit's lines (null: every unit). */
    public Query unit(String name) {
      return new Query(name, since, after, lines);
    }

    /** Only lines logged at or after this device time (null: no bound). */
    public Query since(Instant t) {
      return new Query(unit, t, after, lines);
    }

    /** Only lines after this sequence number (0: no bound). */
    public Query after(long seq) {
      return new Query(unit, since, seq, lines);
    }

    /** Only the last {@code n} matching lines (0: all). */
    public Query lines(int n) {
      return new Query(unit, since, after, n);
    }

    /**
     * The lines of {@code kept} (oldest first, e.g. an ended boot's lines kept by the device)
     * this query selects, oldest first: the same filter {@link Journal#query} applies to the ring.
     */
    public List<JournalEntry> select(List<JournalEntry> kept) {
      List<JournalEntry> out = new ArrayList<>();
      for (JournalEntry e : kept) {
        if (matches(e)) {
          out.add(e);
        }
      }
      return lines > 0 && out.size() > lines ? List.copyOf(out.subList(out.size() - lines, out.size())) : out;
    }

    boolean matches(JournalEntry e) {
      return (unit == null || unit.equals(e.unit())) && (since == null || !e.wallTime().isBefore(since))
          && e.seq() > after;
    }
  }

  /** A live view of new lines; cancel it when the reader goes away. */
  public interface Follow {
    /** The lines that matched when the follow began (the backlog), oldest first. */
    List<JournalEntry> backlog();

    void cancel();
  }

  void add(LogLine line) {
    String message = line.message() == null ? "" : line.message();
    if (message.length() > MAX_MESSAGE) {
      message = message.substring(0, MAX_MESSAGE) + "…";
    }
    JournalEntry e;
    synchronized (this) {
      e = new JournalEntry(nextSeq++, boot, line.unit(), line.level(), message, line.wallTime(), line.uptimeMillis());
      if (ring.size() == capacity) {
        ring.pollFirst();
        dropped++;
      }
      ring.addLast(e);
      // under the lock: a follower sees every line after its backlog, once and in order
      for (Consumer<JournalEntry> f : followers) {
        f.accept(e);
      }
    }
  }

  /** The matching lines, oldest first. */
  public synchronized List<JournalEntry> query(Query q) {
    List<JournalEntry> out = new ArrayList<>();
    // newest first, so a tail of n lines stops after n matches
    for (Iterator<JournalEntry> it = ring.descendingIterator(); it.hasNext(); ) {
      JournalEntry e = it.next();
      if (e.seq() <= q.after()) {
        break;
      }
      if (q.matches(e)) {
        out.add(e);
        if (q.lines() > 0 && out.size() == q.lines()) {
          break;
        }
      }
    }
    java.util.Collections.reverse(out);
    return out;
  }

  /**
   * The lines that match {@code q} now, then every new line that matches, handed to
   * {@code listener} as it is logged: nothing is missed or repeated between the two.
   */
  public Follow follow(Query q, Consumer<JournalEntry> listener) {
    Consumer<JournalEntry> filtered = e -> {
      if ((q.unit() == null || q.unit().equals(e.unit())) && (q.since() == null || !e.wallTime().isBefore(q.since()))) {
        listener.accept(e);
      }
    };
    synchronized (this) {
      List<JournalEntry> backlog = query(q);
      followers.add(filtered);
      return new Follow() {
        @Override
        public List<JournalEntry> backlog() {
          return backlog;
        }

        @Override
        public void cancel() {
          followers.remove(filtered);
        }
      };
    }
  }

  /** The boot these lines belong to. */
  public String boot() {
    return boot;
  }

  /** The most lines kept. */
  public int capacity() {
    return capacity;
  }

  /** Lines that fell out of the ring since start. */
  public synchronized long dropped() {
    return dropped;
  }

  /** Lines now followed by how many readers (for tests and metrics). */
  public int followers() {
    return followers.size();
  }
}
