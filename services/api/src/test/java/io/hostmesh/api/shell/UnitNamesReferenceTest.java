package io.hostmesh.api.shell;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Keeps README's table of balenaOS unit names (between {@code <!-- unit-names:begin -->} and
 * {@code <!-- unit-names:end -->}) equal to {@link UnitNames#TABLE}, row for row and in order:
 * the balenaOS unit, the mesh unit behind it, and how its state is shown (the {@link UnitNames.Kind}).
 * When they differ it prints the rows to add or remove.
 */
class UnitNamesReferenceTest {
  private static final Path README = Path.of("../../README.md");
  private static final Pattern ROW = Pattern.compile("^\\| `([^`]+)` \\| `([^`]+)` \\| (unit|socket|timer|job)\\b.*\\|$");
  private static final String BEGIN = "<!-- unit-names:begin -->";
  private static final String END = "<!-- unit-names:end -->";

  @Test
  void theReadmeTableIsTheJavaTable() throws IOException {
    String readme = Files.readString(README);
    int b = readme.indexOf(BEGIN);
    int e = readme.indexOf(END);
    assertTrue(b >= 0 && e > b, "README.md has the table between " + BEGIN + " and " + END);
    Set<String> documented = new LinkedHashSet<>();
    for (String line : readme.substring(b, e).split("\n")) {
      Matcher m = ROW.matcher(line);
      if (m.matches()) {
        documented.add(m.group(1) + " " + m.group(2) + " " + m.group(3));
      }
    }
    Set<String> code = new LinkedHashSet<>();
    for (UnitNames.Entry row : UnitNames.TABLE) {
      code.add(row.name() + " " + row.unit() + " " + row.kind().name().toLowerCase(Locale.ROOT));
    }
    List<String> problems = new ArrayList<>();
    code.stream().filter(r -> !documented.contains(r)).forEach(r -> problems.add("add:    " + row(r)));
    documented.stream().filter(r -> !code.contains(r)).forEach(r -> problems.add("remove: " + row(r)));
    if (problems.isEmpty() && !List.copyOf(code).equals(List.copyOf(documented))) {
      problems.add("same rows, other order: UnitNames.TABLE has " + code);
    }
    if (!problems.isEmpty()) {
      fail("README.md's unit-names table and UnitNames.TABLE differ:\n" + String.join("\n", problems));
    }
  }

  private static String row(String r) {
    String[] f = r.split(" ");
    return "| `" + f[0] + "` | `" + f[1] + "` | " + f[2] + " |";
  }
}
