package io.hostmesh.units.config;

import io.hostmesh.unit.support.ProjectionUnit;

import io.hostmesh.schema.config.ConfigTopics;
import io.hostmesh.schema.config.DevelopmentMode;
import io.hostmesh.schema.config.Projections.DevelopmentModeConfig;
import io.vertx.core.Future;
import java.time.Duration;
import java.util.List;

/**
 * development-features (spec/units.md §8, os-helpers-config {@code config_gen_devmode}):
 * writes or removes the flag file {@code /var/volatile/development-features} and latches
 * {@link ConfigTopics#DEVELOPMENT_MODE} for the units that change with it (ssh, the API).
 * {@code development-features.target} is restarted only when the flag file changed, not on
 * every run, and an empty {@code os.sshKeys} array does not count as keys.
 */
public final class DevelopmentFeatures extends ProjectionUnit<DevelopmentModeConfig> {
  static final String FLAG_FILE = "/var/volatile/development-features";
  static final String SSHD_DEVELOPMENT = "SSHD_OPTS='-f /etc/ssh/sshd_config_development'\n";
  static final String SSHD_DEVELOPMENT_KEYS =
      "SSHD_OPTS='-f /etc/ssh/sshd_config_development -o PasswordAuthentication=no'\n";
  static final String ENGINE_ARGS = "BALENA_DEVELOPMENT_ARGS=\"-H tcp://0.0.0.0:2375\"\n";

  public DevelopmentFeatures() {
    super("development-features", ConfigTopics.DEVELOPMENT,
        b -> b.description("Development mode from config.json (development-features)")
            .publishes(ConfigTopics.DEVELOPMENT_MODE));
  }

  @Override
  protected Future<Void> apply(DevelopmentModeConfig c) throws Exception {
    Future<Boolean> written;
    if (c.developmentMode()) {
      if (c.sshKeysConfigured()) {
        unit().log().info("Disabling SSH passwordless login on development mode");
      }
      String flags = (c.sshKeysConfigured() ? SSHD_DEVELOPMENT_KEYS : SSHD_DEVELOPMENT) + ENGINE_ARGS;
      written = unit().files().writeIfChanged(FLAG_FILE, flags, null).onSuccess(x -> unit().log().info("Entering development mode"));
    } else {
      written = unit().files().delete(FLAG_FILE).onSuccess(existed -> {
        if (existed) {
          unit().log().info("Entering production mode");
        }
      });
    }
    return written.compose(changed -> announceMode(c, changed));
  }

  private Future<Void> announceMode(DevelopmentModeConfig c, boolean changed) {
    DevelopmentMode mode = new DevelopmentMode(c.developmentMode(), c.sshKeysConfigured());
    if (!mode.equals(unit().bus().latest(ConfigTopics.DEVELOPMENT_MODE).orElse(null))) {
      unit().bus().publish(ConfigTopics.DEVELOPMENT_MODE, mode);
    }
    if (!changed) {
      return Future.succeededFuture();
    }
    return unit().processes().run(List.of("systemctl", "restart", "development-features.target"), Duration.ofSeconds(60))
        .map(r -> {
          if (!r.ok()) {
            unit().log().warn("systemctl restart development-features.target failed: " + r.stderr().strip());
          }
          return null;
        });
  }
}
