package io.hostmesh.mesh;

import io.hostmesh.bus.Topic;
import io.hostmesh.unit.Requirement;
import io.hostmesh.unit.UnitDescriptor;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Validates the unit graph before anything starts; every problem names its units. */
final class GraphCheck {
  private GraphCheck() {}

  static void validate(List<UnitDescriptor> units, Set<Topic<?>> external) {
    validate(units, Set.of(), external);
  }

  /**
   * As {@link #validate(List, Set)}, where the {@code disabled} units never start: they still
   * provide what they provide (a disabled provider counts as done, as a skipped one), but what
   * they require is nobody's concern and they wait for nothing, so they are in no cycle.
   */
  static void validate(List<UnitDescriptor> units, Set<String> disabled, Set<Topic<?>> external) {
    List<String> problems = new ArrayList<>();
    Map<String, UnitDescriptor> byName = new LinkedHashMap<>();
    for (UnitDescriptor d : units) {
      if (byName.putIfAbsent(d.name(), d) != null) {
        problems.add("two units are named '" + d.name() + "'");
      }
    }
    Map<Topic<?>, List<String>> providers = providers(units);
    for (UnitDescriptor d : units) {
      if (disabled.contains(d.name())) {
        continue;
      }
      for (Requirement<?> r : d.requires()) {
        if (!providers.containsKey(r.topic()) && !external.contains(r.topic())) {
          problems.add("unit '" + d.name() + "' requires '" + r.label() + "' (" + r.topic().address()
              + ") but no unit provides it");
        }
      }
    }
    // edges: a unit depends on the providers of what it requires, and on the units it is after;
    // an edge to itself only where it would wait for itself for ever (a one-unit cycle)
    Map<String, Set<String>> edges = new HashMap<>();
    for (UnitDescriptor d : units) {
      Set<String> out = new HashSet<>();
      if (disabled.contains(d.name())) {
        edges.put(d.name(), out);
        continue;
      }
      for (Requirement<?> r : d.requires()) {
        List<String> from = providers.getOrDefault(r.topic(), List.of());
        for (String p : from) {
          if (!p.equals(d.name()) || waitsForItself(d, r.topic(), from, external)) {
            out.add(p);
          }
        }
      }
      for (String a : d.after()) {
        if (byName.containsKey(a)) {
          out.add(a); // after itself: it waits for its own settling
        }
      }
      edges.put(d.name(), out);
    }
    findCycle(edges).ifPresent(c -> problems.add("dependency cycle: " + String.join(" -> ", c)));
    if (!problems.isEmpty()) {
      throw new MeshException(problems);
    }
  }

  /**
   * Whether {@code d}, requiring a topic it supplies itself, can never start: the mesh latches a
   * target only once every provider has settled, and a state topic it alone publishes (and no
   * one outside) has no value before it starts.
   */
  private static boolean waitsForItself(UnitDescriptor d, Topic<?> topic, List<String> providers, Set<Topic<?>> external) {
    return d.provides().contains(topic) || (providers.size() == 1 && !external.contains(topic));
  }

  static Map<Topic<?>, List<String>> providers(List<UnitDescriptor> units) {
    Map<Topic<?>, List<String>> providers = new HashMap<>();
    for (UnitDescriptor d : units) {
      for (Topic<?> t : d.provides()) {
        providers.computeIfAbsent(t, k -> new ArrayList<>()).add(d.name());
      }
      for (Topic<?> t : d.publishes()) {
        providers.computeIfAbsent(t, k -> new ArrayList<>()).add(d.name());
      }
    }
    return providers;
  }

  private static java.util.Optional<List<String>> findCycle(Map<String, Set<String>> edges) {
    Map<String, Integer> color = new HashMap<>();
    List<String> stack = new ArrayList<>();
    for (String start : edges.keySet().stream().sorted().toList()) {
      List<String> c = dfs(start, edges, color, stack);
      if (c != null) {
        return java.util.Optional.of(c);
      }
    }
    return java.util.Optional.empty();
  }

  private static List<String> dfs(String n, Map<String, Set<String>> edges, Map<String, Integer> color, List<String> stack) {
    Integer c = color.get(n);
    if (c != null && c == 2) {
      return null;
    }
    if (c != null && c == 1) {
      List<String> cycle = new ArrayList<>(stack.subList(stack.indexOf(n), stack.size()));
      cycle.add(n);
      return cycle;
    }
    color.put(n, 1);
    stack.add(n);
    for (String m : edges.getOrDefault(n, Set.of()).stream().sorted().toList()) {
      List<String> found = dfs(m, edges, color, stack);
      if (found != null) {
        return found;
      }
    }
    stack.remove(stack.size() - 1);
    color.put(n, 2);
    return null;
  }
}
