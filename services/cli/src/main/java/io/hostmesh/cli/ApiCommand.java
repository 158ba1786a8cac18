package io.hostmesh.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * A command that talks to a device's API ({@link ApiOptions}): prints to picocli's writers (so a
 * test can read them), answers 2 for a bad {@code --root} and 1 when the API cannot be reached.
 */
abstract class ApiCommand implements Callable<Integer> {
  @Mixin
  ApiOptions api;

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() {
    try {
      return run(api.client());
    } catch (ApiOptions.BadRoot e) {
      err().println(spec.qualifiedName() + ": " + e.getMessage());
      return 2;
    } catch (IOException e) {
      err().println(spec.qualifiedName() + ": " + e.getMessage());
      return 1;
    } finally {
      // picocli's writers flush only on println; Main exits right after
      out().flush();
      err().flush();
    }
  }

  abstract int run(ApiClient client) throws IOException, ApiOptions.BadRoot;

  PrintWriter out() {
    return spec.commandLine().getOut();
  }

  PrintWriter err() {
    return spec.commandLine().getErr();
  }
}
