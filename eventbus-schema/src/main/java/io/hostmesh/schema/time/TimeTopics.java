package io.hostmesh.schema.time;

import io.hostmesh.bus.Topic;

/** Topics about the clock. */
public final class TimeTopics {
  /** Every time the system clock is set, with its source. */
  public static final Topic<ClockSet> CLOCK_SET = Topic.event("time.clock-set", ClockSet.class);

  private TimeTopics() {}
}
