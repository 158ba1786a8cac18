package io.hostmesh.demo;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Objects;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A certificate authority made at run time, for the demo's connectivity endpoint and for tests:
 * its certificate goes into config.json as {@code balenaRootCA} ({@link #balenaRootCA()}), and
 * it issues server certificates for {@link ConnectivityEndpoint}.
 *
 * <pre>{@code
 * ThrowawayCa ca = ThrowawayCa.create("hostmesh demo CA");
 * ServerCertificate cert = ca.issue("127.0.0.1");            // valid from a day ago for a year
 * config.put("balenaRootCA", ca.balenaRootCA());
 * }</pre>
 *
 * <p>Keys are EC P-256 (a key pair takes about a millisecond). Thread-safe (immutable). The
 * private key never leaves the process. Not for production use: nothing protects the key.
 */
public final class ThrowawayCa {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Duration CA_LIFETIME = Duration.ofDays(3650);
  private static final Duration SERVER_LIFETIME = Duration.ofDays(365);

  private final KeyPair keys;
  private final X509Certificate certificate;

  private ThrowawayCa(KeyPair keys, X509Certificate certificate) {
    this.keys = keys;
    this.certificate = certificate;
  }

  /** A new self-signed CA named {@code CN=<commonName>}, valid from a day ago for ten years. */
  public static ThrowawayCa create(String commonName) {
    Objects.requireNonNull(commonName, "commonName");
    try {
      KeyPair keys = newKeyPair();
      X500Name name = name(commonName);
      Instant now = Instant.now();
      X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(name, serial(), Date.from(now.minus(Duration.ofDays(1))),
          Date.from(now.plus(CA_LIFETIME)), name, keys.getPublic());
      JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
      b.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
      b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
      b.addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(keys.getPublic()));
      return new ThrowawayCa(keys, sign(b, keys));
    } catch (GeneralSecurityException | CertIOException | OperatorCreationException e) {
      throw new IllegalStateException("cannot create a CA: " + e.getMessage(), e);
    }
  }

  /** The CA certificate. */
  public X509Certificate certificate() {
    return certificate;
  }

  /** The CA certificate in PEM. */
  public String certificatePem() {
    return Pem.certificate(certificate);
  }

  /** The value for config.json's {@code balenaRootCA}: base64 of the PEM (spec/config-json.md). */
  public String balenaRootCA() {
    return Base64.getEncoder().encodeToString(certificatePem().getBytes(StandardCharsets.US_ASCII));
  }

  /** A server certificate for these names (IP literals or DNS names), valid from a day ago for a year. */
  public ServerCertificate issue(String... names) {
    Instant now = Instant.now();
    return issue(List.of(names), now.minus(Duration.ofDays(1)), now.plus(SERVER_LIFETIME));
  }

  /**
   * A server certificate for {@code names} valid from {@code notBefore} to {@code notAfter}
   * (either may lie in the past: tests make expired certificates this way).
   *
   * @throws IllegalArgumentException when no name is given or the window is empty
   */
  public ServerCertificate issue(List<String> names, Instant notBefore, Instant notAfter) {
    if (names.isEmpty()) {
      throw new IllegalArgumentException("a server certificate needs at least one name");
    }
    if (!notAfter.isAfter(notBefore)) {
      throw new IllegalArgumentException("notAfter must be after notBefore");
    }
    try {
      KeyPair server = newKeyPair();
      JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
      X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(certificate, serial(), Date.from(notBefore),
          Date.from(notAfter), name(names.get(0)), server.getPublic());
      List<GeneralName> sans = new ArrayList<>();
      for (String n : names) {
        sans.add(isIpLiteral(n) ? new GeneralName(GeneralName.iPAddress, n) : new GeneralName(GeneralName.dNSName, n));
      }
      b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
      b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
      b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
      b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(sans.toArray(GeneralName[]::new)));
      b.addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(server.getPublic()));
      b.addExtension(Extension.authorityKeyIdentifier, false, ext.createAuthorityKeyIdentifier(certificate));
      return new ServerCertificate(sign(b, keys), server.getPrivate(), certificate);
    } catch (GeneralSecurityException | CertIOException | OperatorCreationException e) {
      throw new IllegalStateException("cannot issue a server certificate: " + e.getMessage(), e);
    }
  }

  /** The CA's public key (to check a signature in tests). */
  public PublicKey publicKey() {
    return keys.getPublic();
  }

  private static KeyPair newKeyPair() throws GeneralSecurityException {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
    return g.generateKeyPair();
  }

  private static X500Name name(String commonName) {
    return new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, commonName).build();
  }

  private static BigInteger serial() {
    return new BigInteger(64, RANDOM).add(BigInteger.ONE);
  }

  private static X509Certificate sign(X509v3CertificateBuilder b, KeyPair signer)
      throws OperatorCreationException, GeneralSecurityException {
    // the JDK's own providers sign and parse: no BouncyCastle security provider is installed
    return new JcaX509CertificateConverter().getCertificate(
        b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(signer.getPrivate())));
  }

  /** An IPv4 dotted quad or an IPv6 literal (has a colon), for the SAN type. */
  private static boolean isIpLiteral(String name) {
    return name.contains(":") || name.matches("\\d{1,3}(\\.\\d{1,3}){3}");
  }
}
