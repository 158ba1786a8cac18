package io.hostmesh.cluster;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs and checks the cluster's messages: an HMAC-SHA256 of the body, keyed by the cluster's
 * secret, in the {@value #HEADER} header. The clustered event bus has no authentication of its
 * own; with this, a program that reaches a node's event-bus port but lacks the secret can neither
 * hand out work nor send results. Bodies are JSON text sent as a {@link Buffer}, so what is
 * signed is exactly what travels.
 */
final class Signer {
  static final String HEADER = "hm-mac";

  private final SecretKeySpec key;

  Signer(String secret) {
    this.key = new SecretKeySpec(("hostmesh-bus\0" + secret).getBytes(StandardCharsets.UTF_8), "HmacSHA256");
  }

  DeliveryOptions sign(Buffer body, DeliveryOptions options) {
    return options.addHeader(HEADER, mac(body));
  }

  Buffer body(JsonObject json) {
    return json.toBuffer();
  }

  /** The message's body as JSON when its MAC is right, else null (the caller drops it). */
  JsonObject open(Message<?> message) {
    if (!(message.body() instanceof Buffer body)) {
      return null;
    }
    String given = message.headers().get(HEADER);
    if (given == null || !MessageDigest.isEqual(given.getBytes(StandardCharsets.US_ASCII),
        mac(body).getBytes(StandardCharsets.US_ASCII))) {
      return null;
    }
    try {
      return new JsonObject(body);
    } catch (RuntimeException e) {
      return null;
    }
  }

  private String mac(Buffer body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(key);
      return HexFormat.of().formatHex(mac.doFinal(body.getBytes()));
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException(e);
    }
  }
}
