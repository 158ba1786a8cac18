package io.hostmesh.fleet;

import java.util.Arrays;

/**
 * A min-heap of a partition's timed tasks ordered by (due, seq), with the keys in primitive arrays:
 * a sift compares longs that sit side by side in memory instead of following a pointer to each
 * task, which matters when thousands of devices keep tens of thousands of timers queued (the
 * {@code PriorityQueue<Task>} it replaces spent most of its time in cache misses of compareTo).
 * Four children per node: half the depth of a binary heap, and the four keys share a cache line.
 *
 * <p>Threading: not thread-safe; only on the partition's loop.
 */
final class TaskHeap<T> {
  private static final int ARITY = 4;

  private long[] due = new long[64];
  private long[] seq = new long[64];
  private Object[] items = new Object[64];
  private int size;

  int size() {
    return size;
  }

  void add(T item, long itemDue, long itemSeq) {
    if (size == items.length) {
      int n = size * 2;
      due = Arrays.copyOf(due, n);
      seq = Arrays.copyOf(seq, n);
      items = Arrays.copyOf(items, n);
    }
    int i = size++;
    // sift up: move parents down until the new key's place is found
    while (i > 0) {
      int parent = (i - 1) / ARITY;
      if (!less(itemDue, itemSeq, due[parent], seq[parent])) {
        break;
      }
      move(parent, i);
      i = parent;
    }
    put(i, item, itemDue, itemSeq);
  }

  /** The item with the smallest (due, seq), removed; null when empty. */
  @SuppressWarnings("unchecked")
  T poll() {
    if (size == 0) {
      return null;
    }
    T top = (T) items[0];
    int last = --size;
    long d = due[last];
    long s = seq[last];
    Object item = items[last];
    items[last] = null;
    if (last > 0) {
      int i = 0;
      while (true) {
        int first = i * ARITY + 1;
        if (first >= last) {
          break;
        }
        int min = first;
        int end = Math.min(first + ARITY, last);
        for (int c = first + 1; c < end; c++) {
          if (less(due[c], seq[c], due[min], seq[min])) {
            min = c;
          }
        }
        if (!less(due[min], seq[min], d, s)) {
          break;
        }
        move(min, i);
        i = min;
      }
      put(i, item, d, s);
    }
    return top;
  }

  void clear() {
    Arrays.fill(items, 0, size, null);
    size = 0;
  }

  private static boolean less(long d1, long s1, long d2, long s2) {
    return d1 < d2 || (d1 == d2 && s1 < s2);
  }

  private void move(int from, int to) {
    due[to] = due[from];
    seq[to] = seq[from];
    items[to] = items[from];
  }

  private void put(int i, Object item, long d, long s) {
    due[i] = d;
    seq[i] = s;
    items[i] = item;
  }
}
