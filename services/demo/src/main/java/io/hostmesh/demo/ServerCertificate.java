package io.hostmesh.demo;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.KeyCertOptions;
import io.vertx.core.net.PemKeyCertOptions;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;

/**
 * A server certificate, its private key and the CA that issued it ({@link ThrowawayCa#issue}).
 *
 * @param certificate the server certificate
 * @param privateKey its key (EC P-256)
 * @param issuer the CA certificate
 */
public record ServerCertificate(X509Certificate certificate, PrivateKey privateKey, X509Certificate issuer) {
  /** The server certificate in PEM. */
  public String certificatePem() {
    return Pem.certificate(certificate);
  }

  /** The private key in PEM (PKCS#8). */
  public String privateKeyPem() {
    return Pem.privateKey(privateKey);
  }

  /** For a Vert.x server ({@code HttpServerOptions.setKeyCertOptions}): the certificate and its key. */
  public KeyCertOptions keyCertOptions() {
    return new PemKeyCertOptions()
        .addCertValue(Buffer.buffer(certificatePem()))
        .addKeyValue(Buffer.buffer(privateKeyPem()));
  }
}
