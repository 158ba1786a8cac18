package io.hostmesh.unit;

import io.hostmesh.bus.Topic;
import io.hostmesh.schema.targets.Target;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * What the mesh needs to know about a unit before starting it; mirrors a systemd unit file.
 *
 * @param name unique, lower case ({@code timeinit-rtc})
 * @param description one line
 * @param type oneshot or long-running
 * @param requires state topics that must match before start
 * @param after units that must have settled first when present ({@code After=}, ordering only)
 * @param conditions all must hold, else {@code skipped}
 * @param provides targets latched by the mesh once this unit (and every other provider) is done
 * @param publishes state topics the unit latches itself (for graph validation)
 * @param restart restart policy
 * @param watchdog ping interval, or null for none
 */
public record UnitDescriptor(
    String name,
    String description,
    UnitType type,
    List<Requirement<?>> requires,
    List<String> after,
    List<Condition> conditions,
    List<Topic<Target>> provides,
    List<Topic<?>> publishes,
    RestartPolicy restart,
    Duration watchdog) {

  private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9@._-]{0,63}");

  public UnitDescriptor {
    Objects.requireNonNull(name, "name");
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("invalid unit name '" + name + "': lower case letters, digits, . _ - @");
    }
    requires = List.copyOf(requires);
    after = List.copyOf(after);
    conditions = List.copyOf(conditions);
    provides = List.copyOf(provides);
    publishes = List.copyOf(publishes);
    Objects.requireNonNull(restart, "restart");
  }

  /** This descriptor with another restart policy (the settings' {@code units.<name>.restart}). */
  public UnitDescriptor withRestart(RestartPolicy r) {
    return new UnitDescriptor(name, description, type, requires, after, conditions, provides, publishes, r, watchdog);
  }

  public static Builder named(String name) {
    return new Builder(name);
  }

  /** Fluent construction, descriptor first in every unit class. */
  public static final class Builder {
    private final String name;
    private String description = "";
    private UnitType type = UnitType.ONESHOT;
    private final List<Requirement<?>> requires = new ArrayList<>();
    private final List<String> after = new ArrayList<>();
    private final List<Condition> conditions = new ArrayList<>();
    private final List<Topic<Target>> provides = new ArrayList<>();
    private final List<Topic<?>> publishes = new ArrayList<>();
    private RestartPolicy restart = RestartPolicy.NO;
    private Duration watchdog;

    private Builder(String name) {
      this.name = name;
    }

    public Builder description(String d) {
      this.description = d;
      return this;
    }

    public Builder oneshot() {
      this.type = UnitType.ONESHOT;
      return this;
    }

    public Builder service() {
      this.type = UnitType.SERVICE;
      return this;
    }

    public Builder requires(Topic<?> topic) {
      requires.add(Requirement.of(topic));
      return this;
    }

    public <T> Builder requires(Topic<T> topic, Predicate<? super T> predicate, String label) {
      requires.add(Requirement.of(topic, predicate, label));
      return this;
    }

    public Builder after(String... units) {
      after.addAll(List.of(units));
      return this;
    }

    public Builder condition(Condition c) {
      conditions.add(c);
      return this;
    }

    @SafeVarargs
    public final Builder provides(Topic<Target>... targets) {
      provides.addAll(List.of(targets));
      return this;
    }

    public Builder publishes(Topic<?>... topics) {
      publishes.addAll(List.of(topics));
      return this;
    }

    public Builder restart(RestartPolicy r) {
      this.restart = r;
      return this;
    }

    public Builder watchdog(Duration interval) {
      this.watchdog = interval;
      return this;
    }

    public UnitDescriptor build() {
      return new UnitDescriptor(name, description, type, requires, after, conditions, provides, publishes, restart, watchdog);
    }
  }
}
