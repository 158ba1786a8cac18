package io.hostmesh.timesync.https;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * The certificate authorities timesync-https trusts: the system trust store (the JDK's, which on
 * Debian is built from /etc/ssl/certs) plus {@code balenaRootCA} from config.json (base64 of a
 * PEM bundle, spec/config-json.md; extract-balena-ca installs the same CA for the system).
 *
 * <p>Immutable, thread-safe. The system store is read once per JVM.
 *
 * @param anchors every trusted CA
 * @param extra the certificates taken from balenaRootCA
 * @param problem why balenaRootCA was ignored, empty when it was used or absent
 */
record TrustAnchors(Set<TrustAnchor> anchors, List<X509Certificate> extra, String problem) {
  private static volatile Set<TrustAnchor> system;

  TrustAnchors {
    anchors = Set.copyOf(anchors);
    extra = List.copyOf(extra);
    problem = problem == null ? "" : problem;
  }

  /** System CAs plus balenaRootCA; a malformed balenaRootCA is ignored and named in {@link #problem()}. */
  static TrustAnchors of(String balenaRootCA, boolean withSystem) {
    Set<TrustAnchor> all = new HashSet<>(withSystem ? system() : Set.of());
    List<X509Certificate> extra = List.of();
    String problem = "";
    // jq's // treats absent, null and false alike; "" installs an empty CA file (spec §9): nothing to trust
    if (balenaRootCA != null && !balenaRootCA.isBlank() && !balenaRootCA.equals("null") && !balenaRootCA.equals("false")) {
      try {
        extra = parseBundle(balenaRootCA);
        extra.forEach(c -> all.add(new TrustAnchor(c, null)));
      } catch (CertificateException | IllegalArgumentException e) {
        problem = "balenaRootCA ignored: " + e.getMessage();
      }
    }
    if (all.isEmpty()) {
      problem = problem.isEmpty() ? "no trusted certificate authority" : problem;
    }
    return new TrustAnchors(all, extra, problem);
  }

  /** The certificates of a base64-encoded PEM bundle (a bare PEM is accepted too). */
  static List<X509Certificate> parseBundle(String value) throws CertificateException {
    String text = value.trim();
    byte[] pem;
    if (text.startsWith("-----BEGIN")) {
      pem = text.getBytes(StandardCharsets.US_ASCII);
    } else {
      try {
        pem = Base64.getMimeDecoder().decode(text);
      } catch (IllegalArgumentException e) {
        throw new CertificateException("not base64: " + e.getMessage());
      }
    }
    if (!new String(pem, StandardCharsets.US_ASCII).contains("-----BEGIN CERTIFICATE-----")) {
      throw new CertificateException("no PEM certificate in it");
    }
    Collection<? extends Certificate> certs =
        CertificateFactory.getInstance("X.509").generateCertificates(new ByteArrayInputStream(pem));
    List<X509Certificate> out = new ArrayList<>();
    for (Certificate c : certs) {
      out.add((X509Certificate) c);
    }
    if (out.isEmpty()) {
      throw new CertificateException("no certificate in it");
    }
    return out;
  }

  static Set<TrustAnchor> system() {
    Set<TrustAnchor> s = system;
    if (s == null) {
      try {
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init((KeyStore) null);
        Set<TrustAnchor> found = new HashSet<>();
        for (TrustManager tm : tmf.getTrustManagers()) {
          if (tm instanceof X509TrustManager x) {
            for (X509Certificate c : x.getAcceptedIssuers()) {
              found.add(new TrustAnchor(c, null));
            }
          }
        }
        s = Set.copyOf(found);
      } catch (GeneralSecurityException e) {
        s = Set.of();
      }
      system = s;
    }
    return s;
  }
}
