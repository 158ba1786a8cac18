package io.hostmesh.schema.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The rules config.json must follow before any unit sees it: the same rules as the JSON Schema
 * shipped as {@link #RESOURCE} (the documented contract), checked by hand so each refusal names
 * its JSON pointer and reason in words, and so the hostile-value rules (rule names, hostnames,
 * DNS words) are the exact ones the units check again.
 *
 * <p>Every violation belongs to one key ({@link #keyOf}): a bad key is refused on its own and
 * the other keys still apply (config-watcher holds back only the projections that read it,
 * {@code ConfigTopics.Projection#reads}). Unknown keys are allowed and kept ({@link #unknownKeys}
 * names them, for warnings). A key read through balena-config-vars' jq {@code //} accepts
 * {@code false} as "absent", as the original does (spec/config-json.md, reading rules).
 *
 * <p>Threading: stateless, safe from any thread. Never throws for any tree.
 */
public final class ConfigSchema {
  /** The JSON Schema (draft 2020-12) on the class path. */
  public static final String RESOURCE = "/io/hostmesh/schema/config/config-json.schema.json";

  /** A udev rule name: becomes {@code <name>.rules}; no path, no shell characters (the original evals it). */
  public static final Pattern RULE_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.+@-]{0,99}");
  private static final Pattern LABEL = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?");
  /** Words of {@code dnsServers}: IP literals only (checked again as addresses by the dns unit). */
  public static final Pattern DNS_SERVERS = Pattern.compile("null|[0-9A-Fa-f.:\\t ]*");
  /** Words of {@code ntpServers}: host names or addresses, no glob or shell characters. */
  public static final Pattern NTP_SERVERS = Pattern.compile("[A-Za-z0-9.:_\\t -]*");
  private static final Pattern NO_SPACE = Pattern.compile("[^\\s\\p{Cntrl}]*");
  private static final Pattern PRINTABLE = Pattern.compile("[^\\p{Cntrl}]*");
  private static final Pattern BASE64 = Pattern.compile("[A-Za-z0-9+/=\\s]*");
  private static final Pattern DIGITS = Pattern.compile("[0-9]{1,9}");
  /** ISO 3166-1 alpha-2 codes (as the JDK knows them) plus "00", the world regulatory domain {@code iw} accepts. */
  public static final Set<String> COUNTRY_CODES = countryCodes();

  /** Every key the rules check, as JSON pointers; a violation inside one (an array item, a rule) belongs to it. */
  public static final List<String> KEYS = List.of("/hostname", "/uuid", "/apiEndpoint", "/deviceApiKey",
      "/developmentMode", "/persistentLogging", "/ntpServers", "/dnsServers", "/country", "/balenaRootCA",
      "/os/sshKeys", "/os/udevRules", "/os/network/connectivity/uri", "/os/network/connectivity/interval",
      "/os/network/connectivity/response", "/os/network/wifi/randomMacAddressScan", "/installer/secureboot",
      "/installer/migrate/force");
  /**
   * Keys other balenaOS components read (spec/config-json.md, the balena-config-vars list, and the
   * supervisor's): kept, and not reported as unknown although no hostmesh unit reads them.
   */
  public static final List<String> OTHER_BALENA_KEYS = List.of("/applicationId", "/applicationName", "/apiKey",
      "/appUpdatePollInterval", "/deltaEndpoint", "/deviceApiKeys", "/deviceId", "/deviceType", "/initialDeviceName",
      "/listenPort", "/localMode", "/mixpanelToken", "/pubnubPublishKey", "/pubnubSubscribeKey", "/registered_at",
      "/registryEndpoint", "/userId", "/username", "/vpnEndpoint", "/vpnPort", "/os/fan/profile", "/os/power/mode",
      "/os/kernel/extraFirmwareVol");
  /** The objects that hold known keys. */
  private static final Set<String> CONTAINERS = containers();

  private ConfigSchema() {}

  /**
   * The key a violation at {@code pointer} belongs to: the checked key that is or holds it
   * ({@code /os/sshKeys/1} → {@code /os/sshKeys}); otherwise the pointer itself (an object
   * such as {@code /os} that is not an object, or {@code ""} for the whole document).
   */
  public static String keyOf(String pointer) {
    for (String k : KEYS) {
      if (within(pointer, k)) {
        return k;
      }
    }
    return pointer;
  }

  /** True when {@code pointer} is {@code ancestor} or lies inside it (JSON pointers). */
  public static boolean within(String pointer, String ancestor) {
    return pointer.equals(ancestor) || pointer.startsWith(ancestor + "/");
  }

  /**
   * True when something set at {@code pointer} may be read: a checked key, a key of another
   * balenaOS component, an object holding such keys, or anything inside one of them.
   */
  public static boolean known(String pointer) {
    if (CONTAINERS.contains(pointer)) {
      return true;
    }
    for (String k : KEYS) {
      if (within(pointer, k)) {
        return true;
      }
    }
    for (String k : OTHER_BALENA_KEYS) {
      if (within(pointer, k)) {
        return true;
      }
    }
    return false;
  }

  /** The members of {@code doc} no unit reads (see {@link #known}), as JSON pointers, in document order. */
  public static List<String> unknownKeys(JsonNode doc) {
    List<String> out = new ArrayList<>();
    if (doc != null && doc.isObject()) {
      unknownKeys(doc, "", out);
    }
    return out;
  }

  private static void unknownKeys(JsonNode object, String at, List<String> out) {
    for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      String p = ConfigViolation.child(at, e.getKey());
      if (CONTAINERS.contains(p) && e.getValue().isObject()) {
        unknownKeys(e.getValue(), p, out);
      } else if (!known(p)) {
        out.add(p);
      }
    }
  }

  private static Set<String> containers() {
    Set<String> out = new HashSet<>();
    for (List<String> keys : List.of(KEYS, OTHER_BALENA_KEYS)) {
      for (String k : keys) {
        for (int i = k.indexOf('/', 1); i > 0; i = k.indexOf('/', i + 1)) {
          out.add(k.substring(0, i));
        }
      }
    }
    return Set.copyOf(out);
  }

  private static Set<String> countryCodes() {
    Set<String> s = new HashSet<>(Locale.getISOCountries(Locale.IsoCountryCode.PART1_ALPHA2));
    s.add("00");
    return Set.copyOf(s);
  }

  /** True for an RFC 1123 host name: dot-separated labels of 1–63 letters, digits, inner hyphens; ≤ 253 chars. */
  public static boolean validHostname(String h) {
    if (h == null || h.isEmpty() || h.length() > 253 || h.endsWith(".")) {
      return false;
    }
    for (String label : h.split("\\.", -1)) {
      if (!LABEL.matcher(label).matches()) {
        return false;
      }
    }
    return true;
  }

  /** True for a udev rule name that is safe as a file name and in any shell. */
  public static boolean validRuleName(String name) {
    return name != null && RULE_NAME.matcher(name).matches() && !name.contains("..");
  }

  /** Every violation of the rules, in the order the rules are checked (the order of {@link #KEYS}); empty when the document is acceptable. */
  public static List<ConfigViolation> validate(JsonNode doc) {
    List<ConfigViolation> out = new ArrayList<>();
    if (doc == null || !doc.isObject()) {
      out.add(new ConfigViolation("", "must be a JSON object, found " + kind(doc)));
      return out;
    }
    Checks c = new Checks(out);
    c.hostname(doc.get("hostname"), "/hostname");
    c.text(doc.get("uuid"), "/uuid", false, PRINTABLE, "printable characters");
    c.text(doc.get("apiEndpoint"), "/apiEndpoint", true, NO_SPACE, "no spaces or control characters");
    c.text(doc.get("deviceApiKey"), "/deviceApiKey", true, PRINTABLE, "printable characters");
    c.flag(doc.get("developmentMode"), "/developmentMode");
    c.flag(doc.get("persistentLogging"), "/persistentLogging");
    c.text(doc.get("ntpServers"), "/ntpServers", true, NTP_SERVERS,
        "host names or addresses separated by spaces");
    c.text(doc.get("dnsServers"), "/dnsServers", true, DNS_SERVERS,
        "IP addresses separated by spaces, or \"null\"");
    c.country(doc.get("country"), "/country");
    c.text(doc.get("balenaRootCA"), "/balenaRootCA", true, BASE64, "base64");
    JsonNode os = c.object(doc.get("os"), "/os");
    if (os != null) {
      c.sshKeys(os.get("sshKeys"), "/os/sshKeys");
      c.udevRules(os.get("udevRules"), "/os/udevRules");
      JsonNode network = c.object(os.get("network"), "/os/network");
      if (network != null) {
        JsonNode conn = c.object(network.get("connectivity"), "/os/network/connectivity");
        if (conn != null) {
          c.text(conn.get("uri"), "/os/network/connectivity/uri", true, NO_SPACE,
              "a URI without spaces or control characters");
          c.interval(conn.get("interval"), "/os/network/connectivity/interval");
          c.text(conn.get("response"), "/os/network/connectivity/response", true, PRINTABLE,
              "printable characters");
        }
        JsonNode wifi = c.object(network.get("wifi"), "/os/network/wifi");
        if (wifi != null) {
          c.bool(wifi.get("randomMacAddressScan"), "/os/network/wifi/randomMacAddressScan");
        }
      }
    }
    JsonNode installer = c.object(doc.get("installer"), "/installer");
    if (installer != null) {
      c.bool(installer.get("secureboot"), "/installer/secureboot");
      JsonNode migrate = c.object(installer.get("migrate"), "/installer/migrate");
      if (migrate != null) {
        c.bool(migrate.get("force"), "/installer/migrate/force");
      }
    }
    return out;
  }

  static String kind(JsonNode n) {
    if (n == null || n.isMissingNode()) {
      return "nothing";
    }
    return switch (n.getNodeType()) {
      case ARRAY -> "an array";
      case OBJECT -> "an object";
      case STRING -> "a string";
      case NUMBER -> "a number";
      case BOOLEAN -> "a boolean";
      case NULL -> "null";
      default -> n.getNodeType().name().toLowerCase();
    };
  }

  private static boolean absent(JsonNode n) {
    return n == null || n.isNull() || n.isMissingNode();
  }

  private record Checks(List<ConfigViolation> out) {
    void add(String pointer, String reason) {
      out.add(new ConfigViolation(pointer, reason));
    }

    void text(JsonNode n, String p, boolean falseMeansAbsent, Pattern allowed, String allowedWords) {
      if (absent(n) || (falseMeansAbsent && n.isBoolean() && !n.booleanValue())) {
        return;
      }
      if (!n.isTextual()) {
        add(p, "must be a string, found " + kind(n));
      } else if (!allowed.matcher(n.textValue()).matches()) {
        add(p, "must be " + allowedWords + ", found " + quote(n.textValue()));
      }
    }

    void country(JsonNode n, String p) {
      if (absent(n) || (n.isBoolean() && !n.booleanValue())) {
        return;
      }
      if (!n.isTextual()) {
        add(p, "must be a string, found " + kind(n));
      } else if (!n.textValue().isEmpty() && !COUNTRY_CODES.contains(n.textValue())) {
        // spec/config-json.md: iw reg set takes an ISO 3166 alpha-2 code; "" reads as not set
        add(p, "must be an ISO 3166 alpha-2 country code in capitals (DE, US; 00 for the world), found "
            + quote(n.textValue()));
      }
    }

    void hostname(JsonNode n, String p) {
      if (absent(n) || (n.isBoolean() && !n.booleanValue())) {
        return;
      }
      // spec/config-json.md: numbers are used as text
      String h = n.isIntegralNumber() && n.canConvertToLong() && n.longValue() >= 0 ? n.asText()
          : n.isTextual() ? n.textValue() : null;
      if (h == null) {
        add(p, "must be a string, found " + kind(n));
      } else if (!h.isEmpty() && !validHostname(h)) {
        add(p, "must be an RFC 1123 host name (letters, digits, inner hyphens, dots), found " + quote(h));
      }
    }

    void flag(JsonNode n, String p) {
      if (!absent(n) && !n.isBoolean() && !n.isTextual()) {
        add(p, "must be a boolean, found " + kind(n));
      }
    }

    void bool(JsonNode n, String p) {
      if (!absent(n) && !n.isBoolean()) {
        add(p, "must be a boolean, found " + kind(n));
      }
    }

    JsonNode object(JsonNode n, String p) {
      if (absent(n)) {
        return null;
      }
      if (!n.isObject()) {
        add(p, "must be an object, found " + kind(n));
        return null;
      }
      return n;
    }

    void interval(JsonNode n, String p) {
      if (absent(n) || (n.isBoolean() && !n.booleanValue())) {
        return;
      }
      boolean ok = n.isIntegralNumber() ? n.canConvertToInt() && n.intValue() >= 0
          : n.isTextual() && DIGITS.matcher(n.textValue()).matches();
      if (!ok) {
        add(p, "must be a whole number of seconds, found " + (n.isTextual() ? quote(n.textValue()) : kind(n)));
      }
    }

    void sshKeys(JsonNode n, String p) {
      if (absent(n)) {
        return;
      }
      if (!n.isArray()) {
        add(p, "must be an array of strings, found " + kind(n));
        return;
      }
      for (int i = 0; i < n.size(); i++) {
        JsonNode k = n.get(i);
        if (!k.isTextual()) {
          add(p + "/" + i, "must be a string, found " + kind(k));
        } else if (!PRINTABLE.matcher(k.textValue()).matches()) {
          // spec/units.md §2: an embedded newline would split one key into two
          add(p + "/" + i, "must be one line without control characters");
        }
      }
    }

    void udevRules(JsonNode n, String p) {
      if (absent(n)) {
        return;
      }
      if (!n.isObject()) {
        add(p, "must be an object of rule name to rule text, found " + kind(n));
        return;
      }
      for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        String q = ConfigViolation.child(p, e.getKey());
        if (!validRuleName(e.getKey())) {
          add(q, "rule name must be letters, digits, '.', '_', '-', '+', '@' (no '/', no '..', no shell"
              + " or control characters), found " + quote(e.getKey()));
        } else if (!e.getValue().isTextual()) {
          add(q, "must be a string, found " + kind(e.getValue()));
        } else if (e.getValue().textValue().indexOf('\0') >= 0) {
          add(q, "must not contain a NUL character");
        }
      }
    }
  }

  /** A value as it may be shown in an error: quoted, control characters escaped, at most 60 chars. */
  static String quote(String s) {
    StringBuilder b = new StringBuilder("\"");
    for (int i = 0; i < s.length() && i < 60; i++) {
      char ch = s.charAt(i);
      if (ch < 0x20 || ch == 0x7f) {
        b.append(String.format("\\u%04x", (int) ch));
      } else if (ch == '"' || ch == '\\') {
        b.append('\\').append(ch);
      } else {
        b.append(ch);
      }
    }
    return b.append(s.length() > 60 ? "…\"" : "\"").toString();
  }
}
