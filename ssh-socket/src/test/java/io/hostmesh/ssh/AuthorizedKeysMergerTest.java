package io.hostmesh.ssh;

import io.hostmesh.platform.Platforms;
import io.hostmesh.platform.BlockingHostFiles;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuthorizedKeysMergerTest {
  @Test
  void remoteThenLocalEachUnderItsHeaderAfterAnEmptyLine() {
    assertEquals("\n# From /home/root/.ssh/authorized_keys_remote\nssh-ed25519 AAAA r\n"
            + "# From /home/root/.ssh/authorized_keys_local\nssh-ed25519 BBBB l1\nssh-ed25519 CCCC l2\n",
        AuthorizedKeysMerger.merged(Optional.of("ssh-ed25519 AAAA r\n\n"), Optional.of("ssh-ed25519 BBBB l1\nssh-ed25519 CCCC l2\n")));
    assertEquals("\n# From /home/root/.ssh/authorized_keys_local\nk\n",
        AuthorizedKeysMerger.merged(Optional.empty(), Optional.of("k")));
    assertEquals("\n", AuthorizedKeysMerger.merged(Optional.empty(), Optional.empty()));
  }

  @Test
  void rewritesOnlyWhenTheContentChangesWithMode600(@TempDir Path root) throws IOException {
    BlockingHostFiles files = Platforms.files(root);
    files.write(SshPaths.AUTHORIZED_KEYS_LOCAL, "ssh-ed25519 BBBB l\n", null);
    assertTrue(AuthorizedKeysMerger.merge(files));
    Path merged = files.resolve(SshPaths.AUTHORIZED_KEYS);
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(merged)));
    assertFalse(AuthorizedKeysMerger.merge(files), "same content: left alone");

    files.write(SshPaths.AUTHORIZED_KEYS_REMOTE, "ssh-ed25519 AAAA r\n", null);
    assertTrue(AuthorizedKeysMerger.merge(files));
    assertTrue(Files.readString(merged).startsWith("\n# From /home/root/.ssh/authorized_keys_remote\n"));
    try (var s = Files.list(merged.getParent())) {
      assertTrue(s.noneMatch(p -> p.getFileName().toString().contains(".tmp")), "no temporary file left");
    }
  }
}
