package io.hostmesh.chrony;

import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Validates what goes into a chrony sources line: server names, interface names and source
 * options. Everything else is refused, so a value from config.json or DHCP can never add a
 * directive (a newline, a {@code ;}, a space followed by {@code allow all}) to chronyd's files.
 * The original scripts glob and word-split these values unquoted; hostmesh does neither.
 */
final class SourceNames {
  /** RFC 1123 labels, dot separated, optional trailing dot; IPv4 literals match too. */
  private static final Pattern HOST =
      Pattern.compile("(?=.{1,253}\\.?$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
          + "(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\\.?");
  private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]{2,45}");
  /** Linux interface names: at most 15 bytes; no slash or space (they name a file here). */
  private static final Pattern IFACE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,14}");
  /** chrony source options: words and numbers ({@code iburst}, {@code minpoll -2}, {@code port 11123}). */
  private static final Pattern OPTION = Pattern.compile("[A-Za-z0-9][A-Za-z0-9.-]{0,31}|-[0-9]{1,3}");

  private SourceNames() {}

  /** Why {@code name} is not a host name or IP address literal; empty when it is one. */
  static Optional<String> serverProblem(String name) {
    if (name == null || name.isEmpty()) {
      return Optional.of("empty NTP server name");
    }
    if (HOST.matcher(name).matches() || (name.contains(":") && isIpv6(name))) {
      return Optional.empty();
    }
    return Optional.of("invalid NTP server name " + quote(name) + ": expected a host name or an IP address");
  }

  /** Why {@code iface} is not an interface name; empty when it is one. */
  static Optional<String> interfaceProblem(String iface) {
    if (iface != null && IFACE.matcher(iface).matches()) {
      return Optional.empty();
    }
    return Optional.of("invalid interface name " + quote(iface)
        + ": expected 1-15 letters, digits, '_', '.', '-' (starting with a letter or digit)");
  }

  /** Why a space-separated option string is not a list of chrony source options; empty when fine. */
  static Optional<String> optionsProblem(String options) {
    if (options == null || options.isBlank()) {
      return Optional.of("empty source options");
    }
    for (String word : options.split(" ", -1)) {
      if (!OPTION.matcher(word).matches()) {
        return Optional.of("invalid source options " + quote(options)
            + ": expected words and numbers separated by single spaces");
      }
    }
    return Optional.empty();
  }

  /** The first problem of a list of server names, if any. */
  static Optional<String> firstServerProblem(List<String> names) {
    for (String n : names) {
      Optional<String> p = serverProblem(n);
      if (p.isPresent()) {
        return p;
      }
    }
    return Optional.empty();
  }

  private static boolean isIpv6(String s) {
    if (!IPV6.matcher(s).matches()) {
      return false;
    }
    try {
      // in brackets the JDK parses the literal and never falls back to a DNS lookup
      return java.net.InetAddress.getByName("[" + s + "]") instanceof java.net.Inet6Address;
    } catch (java.net.UnknownHostException e) {
      return false;
    }
  }

  /** The value in double quotes with control characters escaped, so an error message stays one line. */
  static String quote(String s) {
    if (s == null) {
      return "null";
    }
    StringBuilder b = new StringBuilder("\"");
    for (char c : s.toCharArray()) {
      switch (c) {
        case '\n' -> b.append("\\n");
        case '\r' -> b.append("\\r");
        case '\t' -> b.append("\\t");
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        default -> {
          if (c < 0x20 || c == 0x7f) {
            b.append(String.format("\\u%04x", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
    return b.append('"').toString();
  }
}
