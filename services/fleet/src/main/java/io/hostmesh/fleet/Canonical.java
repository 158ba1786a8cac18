package io.hostmesh.fleet;

import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.Map;
import java.util.TreeMap;

/**
 * A canonical JSON encoding for report.json: object keys sorted, integers only (a double is
 * refused, so no floating-point noise can make two equal reports differ), two-space
 * indentation, "\n" line ends, a final newline. The same tree always gives the same bytes.
 *
 * <p>Accepts {@link Map} (keys as strings), {@link Collection}, {@link String}, {@link Boolean},
 * {@link Integer}, {@link Long} and null. Threading: stateless.
 */
public final class Canonical {
  private Canonical() {}

  public static byte[] bytes(Object tree) {
    StringBuilder b = new StringBuilder();
    write(b, tree, 0);
    b.append('\n');
    return b.toString().getBytes(StandardCharsets.UTF_8);
  }

  public static String text(Object tree) {
    return new String(bytes(tree), StandardCharsets.UTF_8);
  }

  private static void write(StringBuilder b, Object v, int depth) {
    if (v == null) {
      b.append("null");
    } else if (v instanceof String s) {
      string(b, s);
    } else if (v instanceof Boolean || v instanceof Integer || v instanceof Long) {
      b.append(v);
    } else if (v instanceof Map<?, ?> m) {
      Map<String, Object> sorted = new TreeMap<>();
      m.forEach((k, x) -> sorted.put(String.valueOf(k), x));
      if (sorted.isEmpty()) {
        b.append("{}");
        return;
      }
      b.append("{\n");
      int i = 0;
      for (Map.Entry<String, Object> e : sorted.entrySet()) {
        indent(b, depth + 1);
        string(b, e.getKey());
        b.append(": ");
        write(b, e.getValue(), depth + 1);
        b.append(++i < sorted.size() ? ",\n" : "\n");
      }
      indent(b, depth);
      b.append('}');
    } else if (v instanceof Collection<?> c) {
      if (c.isEmpty()) {
        b.append("[]");
        return;
      }
      // short rows of numbers (a time series point) stay on one line
      boolean flat = c.stream().allMatch(x -> x == null || x instanceof Number || x instanceof Boolean || x instanceof String);
      b.append(flat ? "[" : "[\n");
      int i = 0;
      for (Object x : c) {
        if (!flat) {
          indent(b, depth + 1);
        }
        write(b, x, depth + 1);
        if (++i < c.size()) {
          b.append(flat ? ", " : ",\n");
        }
      }
      if (!flat) {
        b.append('\n');
        indent(b, depth);
      }
      b.append(']');
    } else {
      throw new IllegalArgumentException("not canonical JSON (integers only, no " + v.getClass().getSimpleName() + "): " + v);
    }
  }

  private static void indent(StringBuilder b, int depth) {
    b.append("  ".repeat(depth));
  }

  private static void string(StringBuilder b, String s) {
    b.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        case '\r' -> b.append("\\r");
        case '\t' -> b.append("\\t");
        default -> {
          if (c < 0x20) {
            b.append(String.format("\\u%04x", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
    b.append('"');
  }
}
