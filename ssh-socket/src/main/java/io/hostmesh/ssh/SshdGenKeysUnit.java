package io.hostmesh.ssh;

import io.hostmesh.platform.ProcessResult;
import io.hostmesh.unit.UnitDescriptor;
import io.hostmesh.unit.UnitVerticle;
import io.vertx.core.Future;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;

/**
 * sshdgenkeys.service (spec/units.md §2): creates the host keys missing under
 * {@code /etc/ssh/hostkeys}, as upstream {@code sshd_check_keys}: {@code ssh-keygen} writes to a
 * temporary name, then the public and the private key are renamed into place, so sshd never sees
 * half a key. Existing keys are kept. Oneshot; skipped in sim without ssh-keygen, fails on a
 * device when ssh-keygen is missing or fails.
 */
public final class SshdGenKeysUnit extends UnitVerticle {
  static final String NAME = "sshdgenkeys";
  private static final Duration KEYGEN_TIMEOUT = Duration.ofSeconds(120);

  @Override
  public UnitDescriptor descriptor() {
    return UnitDescriptor.named(NAME)
        .description("OpenSSH Key Generation")
        .oneshot()
        .condition(SimPrograms.installedInSim("ssh-keygen", "openssh-client"))
        .build();
  }

  @Override
  public Future<?> start() {
    if (!unit().processes().available("ssh-keygen")) {
      return Future.failedFuture("ssh-keygen not found: install openssh-client to generate the SSH host keys");
    }
    Future<Void> chain = Future.succeededFuture();
    for (String type : SshPaths.HOST_KEY_TYPES) {
      chain = chain.compose(v -> ensure(type));
    }
    return chain;
  }

  private Future<Void> ensure(String type) {
    String devicePath = SshPaths.hostKey(type);
    Path key;
    try {
      key = unit().files().resolve(devicePath);
      SshPaths.configSafe(key);
    } catch (RuntimeException e) {
      return Future.failedFuture(e.getMessage());
    }
    if (Files.exists(key)) {
      return Future.succeededFuture();
    }
    Path tmp = key.resolveSibling(key.getFileName() + ".tmp");
    Path tmpPub = key.resolveSibling(key.getFileName() + ".tmp.pub");
    return vertx.executeBlocking(() -> {
      Files.createDirectories(key.getParent());
      // ssh-keygen asks before overwriting, and stdin is /dev/null: clear leftovers of a crash
      Files.deleteIfExists(tmp);
      Files.deleteIfExists(tmpPub);
      return null;
    }, false).compose(v -> unit().processes().run(
        List.of("ssh-keygen", "-q", "-f", tmp.toString(), "-N", "", "-t", type), KEYGEN_TIMEOUT))
        .compose(r -> r.ok() ? vertx.executeBlocking(() -> install(tmp, tmpPub, key), false) : failed(r))
        .onSuccess(v -> unit().log().info("Generated SSH host key " + devicePath))
        .mapEmpty();
  }

  private static Void install(Path tmp, Path tmpPub, Path key) throws IOException {
    Files.move(tmpPub, key.resolveSibling(key.getFileName() + ".pub"),
        StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    Files.move(tmp, key, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    return null;
  }

  private static Future<Void> failed(ProcessResult r) {
    return Future.failedFuture("ssh-keygen failed (exit " + r.exitCode() + "): " + r.stderr().strip());
  }
}
