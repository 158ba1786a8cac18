package io.hostmesh.unit;

import io.hostmesh.bus.Topic;
import java.util.function.Predicate;

/**
 * A state topic that must hold a matching value before a unit starts ({@code Requires=} +
 * {@code After=} on a target).
 *
 * @param topic a state topic
 * @param predicate what the latched value must satisfy
 * @param label how status output names the requirement
 */
public record Requirement<T>(Topic<T> topic, Predicate<? super T> predicate, String label) {
  public Requirement {
    if (!topic.isState()) {
      throw new IllegalArgumentException("a requirement must be a state topic: " + topic);
    }
  }

  public static <T> Requirement<T> of(Topic<T> topic) {
    return new Requirement<>(topic, v -> true, shortName(topic));
  }

  public static <T> Requirement<T> of(Topic<T> topic, Predicate<? super T> predicate, String label) {
    return new Requirement<>(topic, predicate, label);
  }

  /** Whether the value satisfies the requirement. */
  public boolean test(Object value) {
    return value != null && predicate.test(topic.type().cast(value));
  }

  static String shortName(Topic<?> topic) {
    String a = topic.address();
    return a.startsWith("target.") ? a.substring("target.".length()) : a;
  }
}
