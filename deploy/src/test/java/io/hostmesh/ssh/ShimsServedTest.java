package io.hostmesh.ssh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.hostmesh.api.shell.ShellRoutes;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The commands ssh-socket puts on an SSH session's PATH and the commands the API's shell routes
 * serve are the same list: a shim without a route would answer 127, a route without a shim is
 * unreachable. The two modules share no code, so the check lives here, where both are on the
 * class path (this test sits in ssh-socket's package to read its package-private lists).
 */
class ShimsServedTest {
  @Test
  void everyShimThatAsksTheApiHasARouteAndEveryRouteAShim() {
    List<String> asking = new ArrayList<>(Shims.THROUGH_API);
    asking.add("date"); // its own script asks POST /v1/shell/date, then formats with the real date
    assertEquals(new TreeSet<>(ShellRoutes.COMMANDS), new TreeSet<>(asking));
    assertEquals(Set.of("date", "chronyc"), Set.copyOf(Shims.OWN_SCRIPTS));
    assertFalse(ShellRoutes.COMMANDS.contains("chronyc"), "chronyc is the real one, against the device's socket");
  }
}
