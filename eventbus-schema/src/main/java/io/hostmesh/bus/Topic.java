package io.hostmesh.bus;

import java.util.Objects;

/**
 * A typed address on the hostmesh bus: the address, the record type it carries, its kind and,
 * for requests, the type of the reply.
 *
 * <p>Units never use raw string addresses; they use the constants of the topic catalogues
 * ({@code Targets}, {@code UnitTopics}, {@code ConfigTopics}, ...). Two topics are equal when
 * their address is equal.
 *
 * @param <T> the message record type
 */
public final class Topic<T> {
  private final String address;
  private final Class<T> type;
  private final TopicKind kind;
  private final Class<?> replyType;

  private Topic(String address, Class<T> type, TopicKind kind, Class<?> replyType) {
    if (address == null || address.isBlank()) {
      throw new IllegalArgumentException("topic address must not be blank");
    }
    this.address = address;
    this.type = Objects.requireNonNull(type, "type");
    this.kind = Objects.requireNonNull(kind, "kind");
    this.replyType = replyType;
  }

  /** A latched topic: late subscribers get the last value at once. */
  public static <T> Topic<T> state(String address, Class<T> type) {
    return new Topic<>(address, type, TopicKind.STATE, null);
  }

  /** A fire-and-forget topic. */
  public static <T> Topic<T> event(String address, Class<T> type) {
    return new Topic<>(address, type, TopicKind.EVENT, null);
  }

  /** A request topic whose handler answers with a {@code R}. */
  public static <T, R> Request<T, R> request(String address, Class<T> type, Class<R> replyType) {
    return new Request<>(new Topic<>(address, type, TopicKind.REQUEST, replyType), replyType);
  }

  public String address() {
    return address;
  }

  public Class<T> type() {
    return type;
  }

  public TopicKind kind() {
    return kind;
  }

  public boolean isState() {
    return kind == TopicKind.STATE;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Topic<?> t && t.address.equals(address);
  }

  @Override
  public int hashCode() {
    return address.hashCode();
  }

  @Override
  public String toString() {
    return kind.name().toLowerCase() + ":" + address + "<" + type.getSimpleName()
        + (replyType == null ? "" : "->" + replyType.getSimpleName()) + ">";
  }

  /**
   * A request topic together with its reply type.
   *
   * @param topic the topic the request is sent on
   * @param replyType the record type of the answer
   */
  public record Request<T, R>(Topic<T> topic, Class<R> replyType) {
    public String address() {
      return topic.address();
    }
  }
}
