package io.hostmesh.ssh;

import io.hostmesh.schema.config.ConfigDocument;

import io.hostmesh.bus.Subscription;
import io.hostmesh.schema.config.ConfigError;
import io.hostmesh.schema.config.ConfigTopics;
import io.hostmesh.schema.config.Projections.SshKeysConfig;
import io.hostmesh.unit.UnitDescriptor;
import io.hostmesh.unit.UnitVerticle;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.io.IOException;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * os-sshkeys (spec/units.md §2, {@code BCV/os-sshkeys}): {@code os.sshKeys} from config.json
 * becomes {@code /home/root/.ssh/authorized_keys_local} (mode 600), removed when there are none;
 * then {@code ssh_keys_merger} rebuilds {@code authorized_keys}. Every new value of the
 * projection is applied in turn, as the original's {@code os-sshkeys-conf} restart does.
 *
 * <p>Each key must be one OpenSSH public key line ({@link OpenSshKeyLine}); an invalid one is
 * refused with a {@code CONFIG_ERROR} naming {@code /os/sshKeys/N} and left out, the valid ones
 * are written. The dev-mode flag ({@code config_gen_devmode}) is development-features' job.
 */
public final class OsSshKeysUnit extends UnitVerticle {
  static final String NAME = "os-sshkeys";
  private static final String CONFIG_FILE = ConfigDocument.DEVICE_PATH;

  private Subscription subscription;
  private Future<Void> applying = Future.succeededFuture();

  @Override
  public UnitDescriptor descriptor() {
    return UnitDescriptor.named(NAME)
        .description("os.sshKeys from config.json into /home/root/.ssh/authorized_keys_local")
        .service()
        .requires(ConfigTopics.SSH_KEYS)
        .build();
  }

  @Override
  public Future<?> start() {
    Promise<Void> firstApplied = Promise.promise();
    subscription = unit().bus().subscribe(ConfigTopics.SSH_KEYS, cfg -> {
      // one apply at a time, in order of arrival
      applying = applying.eventually(() -> apply(cfg)).onComplete(ar -> firstApplied.tryComplete());
    });
    return subscription.completion().compose(v -> firstApplied.future());
  }

  @Override
  public Future<?> stop() {
    return subscription == null ? Future.succeededFuture() : subscription.cancel().eventually(() -> applying);
  }

  private Future<Void> apply(SshKeysConfig cfg) {
    List<String> keys = new ArrayList<>();
    List<Object> given = cfg == null || cfg.keys() == null ? List.of() : new ArrayList<>(cfg.keys());
    for (int i = 0; i < given.size(); i++) {
      Optional<String> problem = OpenSshKeyLine.problem(given.get(i));
      if (problem.isPresent()) {
        String path = "/os/sshKeys/" + i;
        unit().log().error("Refusing SSH public key " + path + ": " + problem.get());
        unit().bus().publish(ConfigTopics.CONFIG_ERROR,
            new ConfigError(CONFIG_FILE, path, "not an OpenSSH public key: " + problem.get(), NAME, unit().clock().now()));
      } else {
        keys.add(((String) given.get(i)).strip());
      }
    }
    return vertx.executeBlocking(() -> {
      write(keys);
      return null;
    }, true).<Void>mapEmpty().onFailure(e -> unit().log().error("cannot write SSH keys: " + e.getMessage()));
  }

  /** Runs on a worker: the blocking face of the device's files. */
  private void write(List<String> keys) throws IOException {
    var files = unit().files().blocking();
    if (keys.isEmpty()) {
      unit().log().info("No custom SSH public keys configured.");
      files.delete(SshPaths.AUTHORIZED_KEYS_LOCAL);
    } else {
      unit().log().info("Setting up custom SSH public keys...");
      files.mkdirs(SshPaths.SSH_DIR, PosixFilePermissions.fromString("rwx------"));
      if (files.writeIfChanged(SshPaths.AUTHORIZED_KEYS_LOCAL, String.join("\n", keys) + "\n",
          AuthorizedKeysMerger.MODE_600)) {
        unit().log().info("Done.");
      } else {
        unit().log().info("Custom SSH public keys already in place.");
      }
    }
    AuthorizedKeysMerger.merge(files);
  }
}
