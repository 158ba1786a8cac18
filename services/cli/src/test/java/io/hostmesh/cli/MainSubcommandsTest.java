package io.hostmesh.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Only the subcommand a command line names is built; the help, a misspelt name, no subcommand
 * and the completion script get them all, in the help's order.
 */
class MainSubcommandsTest {
  @Test
  void aNamedSubcommandIsBuiltAlone() {
    assertEquals(List.of(Main.Run.class), Main.subcommandsFor("run", "--profile", "sim"));
    assertEquals(List.of(Main.Sim.class), Main.subcommandsFor("sim", "reboot"));
    assertEquals(List.of("run"), List.copyOf(Main.commandLine("run").getSubcommands().keySet()));
  }

  @Test
  void helpMisspellingsNothingAndCompletionGetThemAll() {
    for (String[] args : List.of(new String[] {}, new String[] {"--help"}, new String[] {"rnu"},
        new String[] {"generate-completion"})) {
      assertEquals(Main.SUBCOMMANDS, Main.subcommandsFor(args), String.join(" ", args));
    }
    Cli help = Cli.run("--help");
    for (String name : List.of("demo", "run", "sim", "status", "analyze", "config", "logs", "restart", "reset-failed",
        "stop", "fleet", "generate-completion")) {
      assertTrue(help.out().contains("  " + name + " "), name + " in\n" + help.out());
    }
  }
}
