package io.hostmesh.timesync.https;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;

/**
 * Checks that a server certificate names the host the client asked for (RFC 6125 / RFC 2818):
 * an IP literal must be an iPAddress SAN; a DNS name a dNSName SAN, where {@code *} may stand
 * for the whole leftmost label only; the subject CN counts only when there is no dNSName SAN.
 *
 * <p>Pure function, thread-safe. Never resolves a name (no DNS lookup).
 */
final class HostnameMatch {
  private static final int SAN_DNS = 2;
  private static final int SAN_IP = 7;
  private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

  private HostnameMatch() {}

  /** Throws when {@code cert} does not name {@code host}; the message names both. */
  static void check(String host, X509Certificate cert) throws CertificateException {
    if (host == null || host.isEmpty()) {
      throw new CertificateException("no host name to verify the certificate against");
    }
    String h = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    List<String> dns = new ArrayList<>();
    List<String> ips = new ArrayList<>();
    Collection<List<?>> sans;
    try {
      sans = cert.getSubjectAlternativeNames();
    } catch (CertificateParsingException e) {
      throw new CertificateException("unreadable subjectAltName: " + e.getMessage(), e);
    }
    if (sans != null) {
      for (List<?> san : sans) {
        Object type = san.get(0);
        if (type instanceof Integer t && t == SAN_DNS) {
          dns.add(String.valueOf(san.get(1)));
        } else if (type instanceof Integer t && t == SAN_IP) {
          ips.add(String.valueOf(san.get(1)));
        }
      }
    }
    boolean ok;
    if (isIpLiteral(h)) {
      ok = ips.stream().anyMatch(ip -> sameAddress(ip, h));
    } else if (!dns.isEmpty()) {
      ok = dns.stream().anyMatch(pattern -> matchesDns(pattern, h));
    } else {
      ok = commonNames(cert).stream().anyMatch(cn -> matchesDns(cn, h));
    }
    if (!ok) {
      throw new CertificateException("certificate does not match host " + h + " (names: dns=" + dns + " ip=" + ips
          + (dns.isEmpty() && ips.isEmpty() ? " cn=" + commonNames(cert) : "") + ")");
    }
  }

  static boolean isIpLiteral(String h) {
    return IPV4.matcher(h).matches() || (h.contains(":") && h.matches("[0-9a-fA-F:.%]+"));
  }

  private static boolean sameAddress(String a, String b) {
    if (!isIpLiteral(a) || !isIpLiteral(b)) {
      return false;
    }
    try {
      // both are literals, so getByName parses them without a lookup
      return InetAddress.getByName(a).equals(InetAddress.getByName(b));
    } catch (UnknownHostException e) {
      return false;
    }
  }

  /** RFC 6125 §6.4.3: case-insensitive; a wildcard only as the entire leftmost label, never for a TLD. */
  static boolean matchesDns(String pattern, String host) {
    String p = stripDot(pattern.toLowerCase(Locale.ROOT));
    String hn = stripDot(host.toLowerCase(Locale.ROOT));
    if (!p.startsWith("*.")) {
      return !p.contains("*") && p.equals(hn);
    }
    String suffix = p.substring(1); // ".example.com"
    if (suffix.indexOf('.', 1) < 0 || suffix.contains("*")) {
      return false; // "*.com" or a second wildcard
    }
    int dot = hn.indexOf('.');
    return dot > 0 && hn.substring(dot).equals(suffix);
  }

  private static String stripDot(String s) {
    return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
  }

  private static List<String> commonNames(X509Certificate cert) {
    List<String> out = new ArrayList<>();
    try {
      for (Rdn rdn : new LdapName(cert.getSubjectX500Principal().getName()).getRdns()) {
        if (rdn.getType().equalsIgnoreCase("CN")) {
          out.add(String.valueOf(rdn.getValue()));
        }
      }
    } catch (InvalidNameException e) {
      // an unparsable subject names nothing
    }
    return out;
  }
}
