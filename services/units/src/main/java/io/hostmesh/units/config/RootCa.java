package io.hostmesh.units.config;

import io.hostmesh.unit.support.ProjectionUnit;
import io.hostmesh.unit.support.RefusedValue;

import io.hostmesh.schema.config.ConfigTopics;
import io.hostmesh.schema.config.Projections.RootCaConfig;
import io.vertx.core.Future;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Base64;
import java.util.Collection;
import java.util.List;

/**
 * extract-balena-ca (spec/units.md §9): {@code balenaRootCA} is the base64 of a PEM
 * certificate, installed as {@code /usr/share/ca-certificates/balena/balenaRootCA.crt}, then
 * {@code update-ca-certificates}. Unlike the original, the PEM must parse as X.509 (an empty
 * or garbled value is refused, not installed), and removing the key removes the CA.
 */
public final class RootCa extends ProjectionUnit<RootCaConfig> {
  static final String FILE = "/usr/share/ca-certificates/balena/balenaRootCA.crt";

  /** The PEM text of a {@code balenaRootCA} value, checked to hold X.509 certificates. */
  static String pem(String base64) throws RefusedValue {
    byte[] pem;
    try {
      pem = Base64.getMimeDecoder().decode(base64);
    } catch (IllegalArgumentException e) {
      throw new RefusedValue("/balenaRootCA", "not valid base64: " + e.getMessage());
    }
    try {
      Collection<? extends java.security.cert.Certificate> certs =
          CertificateFactory.getInstance("X.509").generateCertificates(new ByteArrayInputStream(pem));
      if (certs.isEmpty() || !(certs.iterator().next() instanceof X509Certificate)) {
        throw new RefusedValue("/balenaRootCA", "holds no X.509 certificate");
      }
    } catch (CertificateException e) {
      throw new RefusedValue("/balenaRootCA", "not a PEM X.509 certificate: " + e.getMessage());
    }
    return new String(pem, StandardCharsets.US_ASCII);
  }

  public RootCa() {
    super("root-ca", ConfigTopics.ROOT_CA,
        b -> b.description("Extra root CA from config.json (extract-balena-ca)"));
  }

  @Override
  protected Future<Void> apply(RootCaConfig c) throws Exception {
    Future<Boolean> written;
    if (c.balenaRootCA() == null || c.balenaRootCA().isBlank()) {
      written = unit().files().delete(FILE).onSuccess(existed -> unit().log().info(existed
          ? "balenaRootCA removed from config.json: removed the installed CA." : "No custom CA found."));
    } else {
      String pem = pem(c.balenaRootCA()); // refuses a bad value before anything is written
      written = unit().files().writeIfChanged(FILE, pem, PosixFilePermissions.fromString("rw-r--r--"))
          .onSuccess(changed -> {
            if (changed) {
              unit().log().info("Installed balenaRootCA as " + FILE);
            }
          });
    }
    return written.compose(changed -> changed ? updateCaCertificates() : Future.succeededFuture());
  }

  private Future<Void> updateCaCertificates() {
    return unit().processes().run(List.of("update-ca-certificates"), Duration.ofSeconds(60)).compose(r -> r.ok()
        ? Future.<Void>succeededFuture()
        : Future.failedFuture("update-ca-certificates failed (exit " + r.exitCode() + "): " + r.stderr().strip()));
  }
}
