package io.hostmesh.timesync.https;

import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.cert.CertPath;
import java.security.cert.CertPathValidator;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertPathValidatorException.BasicReason;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Date;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Verifies the time server's certificate like a browser would (chain to a trusted CA, host name,
 * serverAuth usage, the JDK's algorithm constraints) but without trusting the device clock for
 * validity dates: that clock is exactly what HTTPS time sync is about to correct, and on first
 * boot it stands at the build time.
 *
 * <p>The chain is validated at the device's time first; if, and only if, that fails because a
 * certificate is expired or not yet valid, it is validated again at the latest {@code notBefore}
 * of the chain, a moment at which every certificate was valid. Every other failure refuses.
 * Revocation is not checked (no CRL/OCSP fetches before the clock is known).
 *
 * <p>The original ({@code curl -k}) verifies nothing; this is a deliberate difference.
 * Thread-safe; used by the TLS engine on an event loop.
 */
final class ClockTolerantTrustManager extends X509ExtendedTrustManager {
  private static final String SERVER_AUTH = "1.3.6.1.5.5.7.3.1";
  private static final String ANY_USAGE = "2.5.29.37.0";

  private final TrustAnchors trust;
  private final String host;
  private final Supplier<Instant> deviceClock;
  private final Consumer<String> onTolerated;

  /**
   * @param trust the CAs to trust
   * @param host the host of the URI, which the certificate must name
   * @param deviceClock the device's system time, tried first for validity dates
   * @param onTolerated told (with a reason) when a chain was accepted despite its dates
   */
  ClockTolerantTrustManager(TrustAnchors trust, String host, Supplier<Instant> deviceClock, Consumer<String> onTolerated) {
    this.trust = trust;
    this.host = host;
    this.deviceClock = deviceClock;
    this.onTolerated = onTolerated;
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
    verify(chain);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
    verify(chain);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
    verify(chain);
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
    throw new CertificateException("timesync-https does not accept client certificates");
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
    throw new CertificateException("timesync-https does not accept client certificates");
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
    throw new CertificateException("timesync-https does not accept client certificates");
  }

  @Override
  public X509Certificate[] getAcceptedIssuers() {
    return trust.anchors().stream().map(TrustAnchor::getTrustedCert).toArray(X509Certificate[]::new);
  }

  /** The whole check; throws with a message naming what failed. */
  void verify(X509Certificate[] chain) throws CertificateException {
    if (chain == null || chain.length == 0) {
      throw new CertificateException("the server sent no certificate");
    }
    if (trust.anchors().isEmpty()) {
      throw new CertificateException("no trusted certificate authority");
    }
    List<X509Certificate> path = withoutAnchors(chain);
    Instant now = deviceClock.get();
    try {
      validate(path, now);
    } catch (CertPathValidatorException e) {
      if (e.getReason() != BasicReason.EXPIRED && e.getReason() != BasicReason.NOT_YET_VALID) {
        throw new CertificateException("untrusted certificate chain: " + e.getMessage(), e);
      }
      // spec: the clock is what is being fixed, so dates cannot be judged against it
      Instant when = latestNotBefore(path);
      try {
        validate(path, when);
      } catch (CertPathValidatorException again) {
        throw new CertificateException("untrusted certificate chain: " + again.getMessage(), again);
      }
      onTolerated.accept("certificate dates not valid at device time " + now + " (" + e.getMessage()
          + "); chain valid at " + when);
    }
    HostnameMatch.check(host, chain[0]);
    checkServerUsage(chain[0]);
  }

  private void validate(List<X509Certificate> path, Instant at) throws CertPathValidatorException, CertificateException {
    try {
      CertPath certPath = CertificateFactory.getInstance("X.509").generateCertPath(path);
      PKIXParameters params = new PKIXParameters(trust.anchors());
      params.setRevocationEnabled(false);
      params.setDate(Date.from(at));
      CertPathValidator.getInstance("PKIX").validate(certPath, params);
    } catch (CertPathValidatorException e) {
      throw e;
    } catch (GeneralSecurityException e) {
      throw new CertificateException("cannot validate the certificate chain: " + e.getMessage(), e);
    }
  }

  /** The server may send its root too; PKIX wants the path below the anchor. */
  private List<X509Certificate> withoutAnchors(X509Certificate[] chain) {
    List<X509Certificate> path = new ArrayList<>(Arrays.asList(chain));
    while (path.size() > 1 && isAnchor(path.get(path.size() - 1))) {
      path.remove(path.size() - 1);
    }
    return path;
  }

  private boolean isAnchor(X509Certificate c) {
    return trust.anchors().stream().anyMatch(a -> c.equals(a.getTrustedCert()));
  }

  private static Instant latestNotBefore(List<X509Certificate> path) {
    Instant latest = Instant.EPOCH;
    for (X509Certificate c : path) {
      Instant nb = c.getNotBefore().toInstant();
      if (nb.isAfter(latest)) {
        latest = nb;
      }
    }
    return latest;
  }

  private static void checkServerUsage(X509Certificate leaf) throws CertificateException {
    List<String> eku = leaf.getExtendedKeyUsage();
    if (eku != null && !eku.contains(SERVER_AUTH) && !eku.contains(ANY_USAGE)) {
      throw new CertificateException("certificate is not for TLS servers (extendedKeyUsage " + eku + ")");
    }
  }
}
