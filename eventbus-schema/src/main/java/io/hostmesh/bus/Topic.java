package io.hostmesh.bus;

import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

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
  private final Set<Facet> facets;

  private Topic(String address, Class<T> type, TopicKind kind, Class<?> replyType, Set<Facet> facets) {
    if (address == null || address.isBlank()) {
      throw new IllegalArgumentException("topic address must not be blank");
    }
    this.address = address;
    this.type = Objects.requireNonNull(type, "type");
    this.kind = Objects.requireNonNull(kind, "kind");
    this.replyType = replyType;
    this.facets = facets.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(facets));
  }

  /** A latched topic: late subscribers get the last value at once. */
  public static <T> Topic<T> state(String address, Class<T> type) {
    return new Topic<>(address, type, TopicKind.STATE, null, Set.of());
  }

  /**
   * A latched topic that carries a unit's status record ({@link Facet#STATUS}), plus any other
   * facets: metrics export its numeric fields whoever declares it, a plugin included.
   */
  public static <T> Topic<T> status(String address, Class<T> type, Facet... more) {
    EnumSet<Facet> f = EnumSet.of(Facet.STATUS);
    f.addAll(java.util.List.of(more));
    return new Topic<>(address, type, TopicKind.STATE, null, f);
  }

  /** A latched topic with the given facets (e.g. a target that is part of the time picture). */
  public static <T> Topic<T> state(String address, Class<T> type, Facet first, Facet... more) {
    EnumSet<Facet> f = EnumSet.of(first, more);
    return new Topic<>(address, type, TopicKind.STATE, null, f);
  }

  /** A fire-and-forget topic. */
  public static <T> Topic<T> event(String address, Class<T> type) {
    return new Topic<>(address, type, TopicKind.EVENT, null, Set.of());
  }

  /** A request topic whose handler answers with a {@code R}. */
  public static <T, R> Request<T, R> request(String address, Class<T> type, Class<R> replyType) {
    return new Request<>(new Topic<>(address, type, TopicKind.REQUEST, replyType, Set.of()), replyType);
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

  /** Whether the topic was declared with this facet. */
  public boolean has(Facet facet) {
    return facets.contains(facet);
  }

  public Set<Facet> facets() {
    return facets;
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
