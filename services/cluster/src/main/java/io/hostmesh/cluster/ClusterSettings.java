package io.hostmesh.cluster;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Pattern;

/**
 * How a node joins the cluster: the cluster's name and secret, the address it binds (loopback
 * unless told otherwise: nothing listens on 0.0.0.0 by default), the Hazelcast port and the
 * members to join (TCP-IP discovery; multicast is always off).
 *
 * <p>The secret does two jobs. It is part of the Hazelcast cluster name ({@link
 * #hazelcastClusterName()}), so a node without it is refused at Hazelcast's join; and it keys the
 * HMAC every message on the clustered event bus carries ({@link Signer}), because the event
 * bus's TCP port accepts any connection that reaches it.
 *
 * @param version the hostmesh version; a coordinator refuses workers of another version
 */
public record ClusterSettings(
    String name, String secret, String host, int port, List<String> members, String version) {

  /** Hazelcast's usual first port; a node takes the next free one above it when it is taken. */
  public static final int DEFAULT_PORT = 5701;

  public static final int MIN_SECRET_LENGTH = 16;

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,62}");
  private static final Pattern MEMBER = Pattern.compile("[A-Za-z0-9.:\\[\\]-]{1,255}");

  public ClusterSettings {
    if (name == null || !NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("cluster name must be 1-63 characters of letters, digits, '.', '_' or '-'"
          + " starting with a letter or digit, not " + quote(name));
    }
    if (secret == null || secret.isBlank()) {
      throw new IllegalArgumentException("a cluster secret is required to join (--secret-file FILE or"
          + " $HOSTMESH_CLUSTER_SECRET): every node of one cluster shares it");
    }
    if (secret.length() < MIN_SECRET_LENGTH) {
      throw new IllegalArgumentException("the cluster secret is " + secret.length() + " characters; it needs at least "
          + MIN_SECRET_LENGTH + " (e.g. head -c 24 /dev/urandom | base64)");
    }
    if (host == null || host.isBlank()) {
      throw new IllegalArgumentException("--cluster-host must be an address of this machine, not empty");
    }
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("cluster port must be 1-65535, not " + port);
    }
    members = List.copyOf(members == null ? List.of() : members);
    for (String m : members) {
      if (!MEMBER.matcher(m).matches()) {
        throw new IllegalArgumentException("--join takes HOST:PORT,… (addresses of other members), not " + quote(m));
      }
    }
    if (version == null || version.isBlank()) {
      throw new IllegalArgumentException("version missing");
    }
  }

  /** Loopback, the default port, no members to join: a cluster of one machine. */
  public static ClusterSettings loopback(String name, String secret, String version) {
    return new ClusterSettings(name, secret, "127.0.0.1", DEFAULT_PORT, List.of(), version);
  }

  public ClusterSettings withPort(int p) {
    return new ClusterSettings(name, secret, host, p, members, version);
  }

  public ClusterSettings withMembers(List<String> m) {
    return new ClusterSettings(name, secret, host, port, m, version);
  }

  /** Parses {@code --join HOST:PORT,HOST:PORT}; blank gives none. */
  public static List<String> parseMembers(String joined) {
    List<String> out = new ArrayList<>();
    if (joined != null) {
      for (String part : joined.split(",")) {
        if (!part.isBlank()) {
          out.add(part.trim());
        }
      }
    }
    return out;
  }

  /** True when {@link #host()} is a loopback address (what the README calls safe by default). */
  public boolean loopbackOnly() {
    try {
      return InetAddress.getByName(host).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }

  /**
   * The name Hazelcast sees: the cluster's name and a digest of its secret. Nodes with another
   * secret form another Hazelcast cluster and never meet this one. The secret itself never
   * travels.
   */
  public String hazelcastClusterName() {
    return name + "-" + digest("hostmesh-cluster\0" + name + "\0" + secret).substring(0, 16);
  }

  /** The event-bus address prefix of this cluster's coordination messages. */
  public String addressPrefix() {
    return "hostmesh.cluster." + name + ".";
  }

  static String digest(String s) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String quote(String s) {
    return s == null ? "nothing" : "'" + s + "'";
  }

  @Override
  public String toString() { // never prints the secret
    return "ClusterSettings[name=" + name + ", host=" + host + ", port=" + port + ", members=" + members
        + ", version=" + version + "]";
  }
}
