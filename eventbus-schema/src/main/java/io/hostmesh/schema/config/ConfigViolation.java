package io.hostmesh.schema.config;

/**
 * One reason config.json (or a value in it) is refused.
 *
 * @param pointer where, as a JSON pointer (RFC 6901): {@code /os/udevRules/..~1x}; {@code ""} is the whole document
 * @param reason what is wrong, in words
 */
public record ConfigViolation(String pointer, String reason) {
  /** The pointer of {@code parent}'s member {@code name}, escaped as RFC 6901 says ({@code ~} → {@code ~0}, {@code /} → {@code ~1}). */
  public static String child(String parent, String name) {
    return parent + "/" + name.replace("~", "~0").replace("/", "~1");
  }

  @Override
  public String toString() {
    return (pointer.isEmpty() ? "(document)" : pointer) + ": " + reason;
  }
}
