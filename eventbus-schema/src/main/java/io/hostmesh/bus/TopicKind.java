package io.hostmesh.bus;

/** How a {@link Topic} behaves on the bus. */
public enum TopicKind {
  /** Latched: the bus keeps the last value and hands it to late subscribers at once. */
  STATE,
  /** Fire and forget: only subscribers present at publish time see the value. */
  EVENT,
  /** Request/reply with a typed answer. */
  REQUEST
}
