package io.hostmesh.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.hostmesh.testing.SimDevice;
import io.vertx.core.Vertx;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The API speaks HTTP/1.1 only: a client that asks to upgrade to HTTP/2 over plain TCP (Java's
 * HttpClient does by default) is answered in HTTP/1.1, so no answer rides a connection that a
 * reboot's API stop ends with GOAWAY.
 */
@ExtendWith(VertxExtension.class)
@Timeout(30)
class HttpApiProtocolTest {
  @Test
  void anH2cUpgradeIsAnsweredInHttp11(Vertx vertx) throws Exception {
    try (SimDevice dev = SimDevice.builder(vertx).build()) {
      dev.start().await();
      HttpApi api = new HttpApi(dev.mesh(), "127.0.0.1", 0);
      vertx.deployVerticle(api).await();
      HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).build();
      for (int i = 0; i < 3; i++) {
        HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api.port() + "/v1/boot"))
            .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode());
        assertEquals(HttpClient.Version.HTTP_1_1, r.version(), "no h2c upgrade");
      }
      vertx.undeploy(api.deploymentID()).await();
    }
  }
}
