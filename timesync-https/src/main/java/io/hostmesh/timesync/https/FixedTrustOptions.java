package io.hostmesh.timesync.https;

import io.vertx.core.Vertx;
import io.vertx.core.net.TrustOptions;
import java.security.KeyStore;
import java.security.Provider;
import java.util.function.Function;
import javax.net.ssl.ManagerFactoryParameters;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.TrustManagerFactorySpi;

/**
 * Vert.x {@link TrustOptions} that hand out one given trust manager. Written here because
 * Vert.x 5.0.7's {@code TrustOptions.wrap(TrustManager)} loads a class that needs SLF4J, which is
 * not on hostmesh's class path ({@code NoClassDefFoundError: org/slf4j/LoggerFactory}).
 *
 * <p>Immutable, thread-safe.
 */
final class FixedTrustOptions implements TrustOptions {
  private static final Provider PROVIDER = new Provider("hostmesh-timesync-https", "1.0", "fixed trust manager") {
    private static final long serialVersionUID = 1L;
  };

  private final TrustManager trustManager;

  FixedTrustOptions(TrustManager trustManager) {
    this.trustManager = trustManager;
  }

  @Override
  public TrustOptions copy() {
    return this;
  }

  @Override
  public TrustManagerFactory getTrustManagerFactory(Vertx vertx) {
    return new Factory(trustManager);
  }

  @Override
  public Function<String, TrustManager[]> trustManagerMapper(Vertx vertx) {
    return serverName -> new TrustManager[] {trustManager};
  }

  private static final class Factory extends TrustManagerFactory {
    Factory(TrustManager tm) {
      super(new TrustManagerFactorySpi() {
        @Override
        protected void engineInit(KeyStore ks) {
          // the trust manager is fixed
        }

        @Override
        protected void engineInit(ManagerFactoryParameters spec) {
          // the trust manager is fixed
        }

        @Override
        protected TrustManager[] engineGetTrustManagers() {
          return new TrustManager[] {tm};
        }
      }, PROVIDER, "hostmesh-fixed");
    }
  }
}
