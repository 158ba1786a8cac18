package io.hostmesh.ssh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class OpenSshKeyLineTest {
  private static final String ED25519 = SshFixture.publicKey(SshFixture.ALICE);
  private static final String BLOB = ED25519.split(" ")[1];

  @Test
  void acceptsPlainKeysWithAndWithoutComment() {
    assertEquals(Optional.empty(), OpenSshKeyLine.problem(ED25519));
    assertEquals(Optional.empty(), OpenSshKeyLine.problem("ssh-ed25519 " + BLOB));
    assertEquals(Optional.empty(), OpenSshKeyLine.problem("ssh-ed25519 " + BLOB + " laptop of alice & bob $(x)"));
  }

  @Test
  void acceptsOptions() {
    assertEquals(Optional.empty(), OpenSshKeyLine.problem("no-pty,from=\"10.0.0.0/8\" ssh-ed25519 " + BLOB));
    assertEquals(Optional.empty(), OpenSshKeyLine.problem("restrict,command=\"echo \\\"hi there\\\"\" ssh-ed25519 " + BLOB + " c"));
  }

  @Test
  void refusesEmbeddedLineBreaks() {
    assertProblem(ED25519 + "\nssh-ed25519 " + BLOB, "line break");
    assertProblem(ED25519 + "\r", "line break");
    assertProblem("ssh-ed25519 " + BLOB + " a\u0000b", "control character");
  }

  @Test
  void refusesWhatIsNotAKey() {
    assertProblem("", "empty");
    assertProblem("   ", "empty");
    assertProblem(42, "not a string");
    assertProblem(null, "not a string");
    assertProblem("ssh-ed25519", "no key data");
    assertProblem("ssh-ed25519 not*base64", "not base64");
    assertProblem("ssh-rsa " + BLOB, "is a 'ssh-ed25519' key, the line says 'ssh-rsa'");
    assertProblem("ssh-foo " + BLOB, "unknown key option 'ssh-foo'");
    assertProblem("$(reboot) ssh-ed25519 " + BLOB, "unknown key option");
    assertProblem("no-pty", "no key after the options");
    assertProblem("command=\"unterminated ssh-ed25519 " + BLOB, "unterminated quote");
    assertProblem("command=unquoted ssh-ed25519 " + BLOB, "must be quoted");
    assertProblem("no-pty=\"x\" ssh-ed25519 " + BLOB, "takes no value");
    assertProblem("no-pty,,restrict ssh-ed25519 " + BLOB, "unknown key option ''");
  }

  private static void assertProblem(Object value, String expected) {
    Optional<String> p = OpenSshKeyLine.problem(value);
    assertTrue(p.isPresent(), "refused: " + value);
    assertTrue(p.get().contains(expected), p.get());
  }
}
