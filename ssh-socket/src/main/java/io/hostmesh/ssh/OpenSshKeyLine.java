package io.hostmesh.ssh;

import java.util.Base64;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Checks that a value of {@code os.sshKeys} is one OpenSSH {@code authorized_keys} line:
 * {@code [options] keytype base64-key [comment]}. The original writes the value verbatim, so an
 * embedded newline would add lines of the caller's choosing (spec/config-json.md: "embedded
 * newline splits a key"); here such a value is refused.
 */
final class OpenSshKeyLine {
  private static final Set<String> KEY_TYPES = Set.of(
      "ssh-rsa", "ssh-dss", "ssh-ed25519",
      "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp384", "ecdsa-sha2-nistp521",
      "sk-ecdsa-sha2-nistp256@openssh.com", "sk-ssh-ed25519@openssh.com",
      "ssh-rsa-cert-v01@openssh.com", "ssh-dss-cert-v01@openssh.com", "ssh-ed25519-cert-v01@openssh.com",
      "ecdsa-sha2-nistp256-cert-v01@openssh.com", "ecdsa-sha2-nistp384-cert-v01@openssh.com",
      "ecdsa-sha2-nistp521-cert-v01@openssh.com", "sk-ecdsa-sha2-nistp256-cert-v01@openssh.com",
      "sk-ssh-ed25519-cert-v01@openssh.com");
  // sshd(8) AUTHORIZED_KEYS FILE FORMAT
  private static final Set<String> OPTIONS = Set.of(
      "agent-forwarding", "cert-authority", "command", "environment", "expiry-time", "from",
      "no-agent-forwarding", "no-port-forwarding", "no-pty", "no-user-rc", "no-x11-forwarding",
      "permitopen", "permitlisten", "port-forwarding", "principals", "pty", "no-touch-required",
      "verify-required", "restrict", "tunnel", "user-rc", "x11-forwarding");
  private static final Set<String> OPTIONS_WITH_VALUE = Set.of(
      "command", "environment", "expiry-time", "from", "permitopen", "permitlisten", "principals", "tunnel");

  private OpenSshKeyLine() {}

  /** Why the value is not one public key line; empty when it is one. */
  static Optional<String> problem(Object value) {
    if (!(value instanceof String line)) {
      return Optional.of("not a string");
    }
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (c == '\n' || c == '\r') {
        return Optional.of("contains a line break: one key per entry");
      }
      if (c < 0x20 && c != '\t' || c == 0x7f) {
        return Optional.of("contains a control character");
      }
    }
    String rest = line.strip();
    if (rest.isEmpty()) {
      return Optional.of("empty");
    }
    String first = firstWord(rest);
    if (!KEY_TYPES.contains(first)) {
      int end = optionsEnd(rest);
      if (end < 0) {
        return Optional.of("unterminated quote in the key options");
      }
      Optional<String> bad = checkOptions(rest.substring(0, end));
      if (bad.isPresent()) {
        return bad;
      }
      rest = rest.substring(end).strip();
      first = firstWord(rest);
      if (!KEY_TYPES.contains(first)) {
        return Optional.of(first.isEmpty() ? "no key after the options" : "unknown key type '" + first + "'");
      }
    }
    String afterType = rest.substring(first.length()).strip();
    if (afterType.isEmpty()) {
      return Optional.of("no key data after '" + first + "'");
    }
    return checkBlob(first, firstWord(afterType));
  }

  private static Optional<String> checkBlob(String type, String base64) {
    byte[] blob;
    try {
      blob = Base64.getDecoder().decode(base64);
    } catch (IllegalArgumentException e) {
      return Optional.of("key data is not base64");
    }
    // the blob starts with its own type as an SSH string: uint32 length, bytes
    if (blob.length < 4) {
      return Optional.of("key data too short");
    }
    int len = ((blob[0] & 0xff) << 24) | ((blob[1] & 0xff) << 16) | ((blob[2] & 0xff) << 8) | (blob[3] & 0xff);
    if (len < 0 || len > blob.length - 4) {
      return Optional.of("key data is not an SSH public key");
    }
    String inner = new String(blob, 4, len, java.nio.charset.StandardCharsets.US_ASCII);
    if (!inner.equals(type)) {
      return Optional.of("key data is a '" + inner + "' key, the line says '" + type + "'");
    }
    return Optional.empty();
  }

  private static String firstWord(String s) {
    int i = 0;
    while (i < s.length() && s.charAt(i) != ' ' && s.charAt(i) != '\t') {
      i++;
    }
    return s.substring(0, i);
  }

  /** End of the options field: the first blank outside quotes; -1 when a quote is unterminated. */
  private static int optionsEnd(String s) {
    boolean quoted = false;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (quoted && c == '\\' && i + 1 < s.length() && s.charAt(i + 1) == '"') {
        i++;
      } else if (c == '"') {
        quoted = !quoted;
      } else if (!quoted && (c == ' ' || c == '\t')) {
        return i;
      }
    }
    return quoted ? -1 : s.length();
  }

  private static Optional<String> checkOptions(String options) {
    int i = 0;
    while (i < options.length()) {
      int nameEnd = i;
      while (nameEnd < options.length() && options.charAt(nameEnd) != '=' && options.charAt(nameEnd) != ',') {
        nameEnd++;
      }
      String name = options.substring(i, nameEnd).toLowerCase(Locale.ROOT);
      if (!OPTIONS.contains(name)) {
        return Optional.of("unknown key option '" + options.substring(i, nameEnd) + "'");
      }
      i = nameEnd;
      if (i < options.length() && options.charAt(i) == '=') {
        if (!OPTIONS_WITH_VALUE.contains(name)) {
          return Optional.of("key option '" + name + "' takes no value");
        }
        if (i + 1 >= options.length() || options.charAt(i + 1) != '"') {
          return Optional.of("the value of key option '" + name + "' must be quoted");
        }
        i += 2;
        while (i < options.length() && options.charAt(i) != '"') {
          i += options.charAt(i) == '\\' && i + 1 < options.length() ? 2 : 1;
        }
        i++;
      } else if (OPTIONS_WITH_VALUE.contains(name)) {
        return Optional.of("key option '" + name + "' needs a value");
      }
      if (i < options.length()) {
        if (options.charAt(i) != ',') {
          return Optional.of("malformed key options");
        }
        i++;
        if (i == options.length()) {
          return Optional.of("malformed key options");
        }
      }
    }
    return Optional.empty();
  }
}
