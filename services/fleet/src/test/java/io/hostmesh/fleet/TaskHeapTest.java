package io.hostmesh.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.PriorityQueue;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The partition's task heap gives tasks in (due, seq) order, as the PriorityQueue it replaced did. */
class TaskHeapTest {
  record Item(long due, long seq) implements Comparable<Item> {
    @Override
    public int compareTo(Item o) {
      return due != o.due ? Long.compare(due, o.due) : Long.compare(seq, o.seq);
    }
  }

  @Test
  void pollsInDueThenSequenceOrderUnderRandomAddsAndPolls() {
    SplittableRandom r = new SplittableRandom(5);
    TaskHeap<Item> heap = new TaskHeap<>();
    PriorityQueue<Item> reference = new PriorityQueue<>();
    long seq = 0;
    for (int step = 0; step < 200_000; step++) {
      if (r.nextInt(3) > 0 || reference.isEmpty()) {
        // few distinct due times, so ties are ordered by sequence
        Item i = new Item(r.nextInt(500), ++seq);
        heap.add(i, i.due(), i.seq());
        reference.add(i);
      } else {
        assertEquals(reference.poll(), heap.poll(), "step " + step);
      }
      assertEquals(reference.size(), heap.size());
    }
    while (!reference.isEmpty()) {
      assertEquals(reference.poll(), heap.poll());
    }
    assertNull(heap.poll());
    heap.add(new Item(1, 1), 1, 1);
    heap.clear();
    assertEquals(0, heap.size());
    assertNull(heap.poll());
  }
}
