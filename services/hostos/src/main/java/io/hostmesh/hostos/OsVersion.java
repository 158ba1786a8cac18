package io.hostmesh.hostos;

import java.util.Comparator;
import java.util.regex.Pattern;

/**
 * balenaOS versions ({@code 2.31.5}, {@code 2.88.4+rev1}) and their order, as
 * {@code rollback-check-version} judges them with {@code sort -V}: runs of digits compare as
 * numbers, other runs as text, and a version that is a prefix of another is the smaller
 * ({@code 2.88.4 < 2.88.4+rev1 < 2.88.5 < 2.100.0}), except before a {@code ~}
 * ({@code 2.0~rc1 < 2.0}).
 */
public final class OsVersion {
  /** {@code MIN_HOSTOS_VERSION} of rollback-check-version: the old OS must be newer to roll back to. */
  public static final String MIN_ROLLBACK = "2.30.0";
  /** What a host OS update accepts: X.Y.Z with an optional +revN. */
  private static final Pattern VALID = Pattern.compile("[0-9]{1,6}\\.[0-9]{1,6}\\.[0-9]{1,6}(\\+rev[0-9]{1,6})?");

  /** Orders version strings like {@code sort -V}. */
  public static final Comparator<String> ORDER = OsVersion::compare;

  private OsVersion() {}

  /** Whether {@code v} is a version a host OS update accepts. */
  public static boolean valid(String v) {
    return v != null && VALID.matcher(v).matches();
  }

  /** The reason {@code v} is refused, or null when valid. */
  public static String problem(String v) {
    if (v == null || v.isBlank()) {
      return "a version is required (X.Y.Z or X.Y.Z+revN, e.g. 2.88.4 or 2.88.4+rev1)";
    }
    if (!valid(v)) {
      return "'" + printable(v) + "' is not a balenaOS version (X.Y.Z or X.Y.Z+revN, e.g. 2.88.4 or 2.88.4+rev1)";
    }
    return null;
  }

  /** {@code version_gt a b} of rollback-check-version: true when {@code a} sorts strictly after {@code b}. */
  public static boolean greater(String a, String b) {
    return compare(a, b) > 0;
  }

  /**
   * Negative, zero or positive as {@code a} sorts before, with or after {@code b}, as GNU
   * {@code sort -V} ({@code filevercmp}): the parts before a file-like suffix
   * ({@code (\.[A-Za-z~][A-Za-z0-9~]*)*$}) first, then the whole strings, each with
   * {@code verrevcmp}. Text parts compare character by character with letters before other
   * characters and {@code ~} before everything, even the end; digit parts compare as numbers of
   * any length.
   */
  public static int compare(String a, String b) {
    String s = a == null ? "" : a.trim();
    String t = b == null ? "" : b.trim();
    if (s.equals(t)) {
      return 0;
    }
    int r = verrevcmp(s.substring(0, prefixLength(s)), t.substring(0, prefixLength(t)));
    return r != 0 ? r : verrevcmp(s, t);
  }

  /** The length of {@code s} without its file-like suffix. */
  private static int prefixLength(String s) {
    int end = s.length();
    int i = s.length();
    // scan back over suffix parts ".<letter or ~><letters, digits or ~>*"
    while (true) {
      int j = i;
      while (j > 0 && (letterOrTilde(s.charAt(j - 1)) || digit(s.charAt(j - 1)))) {
        j--;
      }
      // j..i is a run of [A-Za-z0-9~]; it must start with a letter or ~ and follow a dot
      int k = j;
      while (k < i && digit(s.charAt(k))) {
        k++; // digits before the first letter belong to the previous part: no suffix here
      }
      if (k != j || j == i || j == 0 || s.charAt(j - 1) != '.' || !letterOrTilde(s.charAt(j))) {
        return end;
      }
      i = j - 1;
      end = i;
    }
  }

  private static boolean letterOrTilde(char c) {
    return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '~';
  }

  private static int verrevcmp(String s, String t) {
    int i = 0;
    int j = 0;
    while (i < s.length() || j < t.length()) {
      while (i < s.length() && !digit(s.charAt(i)) || j < t.length() && !digit(t.charAt(j))) {
        int sc = i < s.length() ? order(s.charAt(i)) : 0;
        int tc = j < t.length() ? order(t.charAt(j)) : 0;
        if (sc != tc) {
          return sc - tc;
        }
        i++;
        j++;
      }
      while (i < s.length() && s.charAt(i) == '0') {
        i++;
      }
      while (j < t.length() && t.charAt(j) == '0') {
        j++;
      }
      int firstDiff = 0;
      while (i < s.length() && digit(s.charAt(i)) && j < t.length() && digit(t.charAt(j))) {
        if (firstDiff == 0) {
          firstDiff = s.charAt(i) - t.charAt(j);
        }
        i++;
        j++;
      }
      if (i < s.length() && digit(s.charAt(i))) {
        return 1; // more digits: the larger number
      }
      if (j < t.length() && digit(t.charAt(j))) {
        return -1;
      }
      if (firstDiff != 0) {
        return firstDiff;
      }
    }
    return 0;
  }

  private static boolean digit(char c) {
    return c >= '0' && c <= '9';
  }

  private static int order(char c) {
    if (digit(c)) {
      return 0;
    }
    if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z') {
      return c;
    }
    return c == '~' ? -1 : c + 256;
  }

  /** The value with control characters replaced and its length bounded, for an error message. */
  static String printable(String v) {
    String s = v.length() > 64 ? v.substring(0, 64) + "..." : v;
    return s.replaceAll("\\p{Cntrl}", "?");
  }
}
