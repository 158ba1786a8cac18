package io.hostmesh.demo;

import java.security.PrivateKey;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.Base64;

/** PEM text (RFC 7468) of certificates and PKCS#8 keys. */
final class Pem {
  private Pem() {}

  static String certificate(X509Certificate c) {
    try {
      return block("CERTIFICATE", c.getEncoded());
    } catch (CertificateEncodingException e) {
      throw new IllegalStateException("cannot encode a certificate", e);
    }
  }

  static String privateKey(PrivateKey k) {
    return block("PRIVATE KEY", k.getEncoded());
  }

  private static String block(String label, byte[] der) {
    return "-----BEGIN " + label + "-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
        + "\n-----END " + label + "-----\n";
  }
}
