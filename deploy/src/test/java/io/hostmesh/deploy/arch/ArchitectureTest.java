package io.hostmesh.deploy.arch;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaMethodCall;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.EvaluationResult;
import io.hostmesh.chrony.archbad.ChronyImportsSsh;
import io.hostmesh.deploy.arch.bad.Outsider;
import io.hostmesh.deploy.arch.bad.internal.Hidden;
import io.hostmesh.mesh.archbad.MeshImportsApi;
import io.hostmesh.units.archbad.UnitBreaksTheRules;
import io.hostmesh.units.archbad.UnitUsesWebClient;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The module rules ({@link HostmeshRules}) on the production classes of every hostmesh module
 * (deploy's test class path sees them all; tests are left out), and each rule against a
 * deliberately bad class from the test sources, so a rule that no longer bites is noticed.
 */
class ArchitectureTest {
  /**
   * Existing calls that break "units use the Scheduler", owed a fix in the unit's main code: the
   * rule holds for everything else meanwhile, and {@link #knownViolationsStillExist} fails once a
   * call is gone, so the entry is removed and the rule tightens.
   */
  static final Set<String> KNOWN_TIMER_CALLS = Set.of();
  static final Set<String> KNOWN_CLOCK_CALLS = Set.of();

  private static JavaClasses production;

  @BeforeAll
  static void importProduction() {
    production = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .importPackages("io.hostmesh");
  }

  @Test
  void everyModuleIsImported() {
    Set<String> modules = new TreeSet<>();
    production.forEach(c -> modules.add(HostmeshRules.moduleOf(c)));
    for (String m : new String[] {"eventbus-schema", "runtime", "units", "api", "cli", "testkit", "timeinit-rtc",
        "timesync-https", "chrony-bridge", "config-watcher", "udev-applier", "ssh-socket", "deploy"}) {
      assertTrue(modules.contains(m), "classes of module " + m + " imported; found " + modules);
    }
  }

  @Test
  void unitModulesAreIndependent() {
    HostmeshRules.UNIT_MODULES_ARE_INDEPENDENT.check(production);
  }

  @Test
  void runtimeDependsOnNoUpperLayer() {
    HostmeshRules.RUNTIME_DEPENDS_ON_NO_UPPER_LAYER.check(production);
  }

  @Test
  void frontEndLibrariesOnlyAtTheEdge() {
    HostmeshRules.FRONT_END_LIBRARIES_ONLY_AT_THE_EDGE.check(production);
  }

  @Test
  void internalPackagesStayInTheirModule() {
    HostmeshRules.internalStaysInItsModule(HostmeshRules::moduleOf).check(production);
  }

  @Test
  void unitsUseTheScheduler() {
    HostmeshRules.unitsUseTheScheduler(KNOWN_TIMER_CALLS).check(production);
  }

  @Test
  void unitsReadNoHostClock() {
    HostmeshRules.unitsReadNoHostClock(KNOWN_CLOCK_CALLS).check(production);
  }

  @Test
  void knownViolationsStillExist() {
    Set<String> timers = calls(HostmeshRules.VERTX_TIMER_CALL);
    Set<String> clocks = calls(HostmeshRules.HOST_TIME_CALL);
    for (String k : KNOWN_TIMER_CALLS) {
      assertTrue(timers.contains(k), "fixed, remove it from KNOWN_TIMER_CALLS: " + k);
    }
    for (String k : KNOWN_CLOCK_CALLS) {
      assertTrue(clocks.contains(k), "fixed, remove it from KNOWN_CLOCK_CALLS: " + k);
    }
  }

  // ---- each rule bites: deliberately bad classes from the test sources ----

  @Test
  void aUnitModuleImportingAnotherIsReported() {
    assertReported(HostmeshRules.UNIT_MODULES_ARE_INDEPENDENT, "unit modules are independent",
        "ChronyImportsSsh", ChronyImportsSsh.class, io.hostmesh.ssh.SshSocketUnit.class);
  }

  @Test
  void aRuntimeClassImportingTheApiIsReported() {
    assertReported(HostmeshRules.RUNTIME_DEPENDS_ON_NO_UPPER_LAYER, "the runtime is the bottom layer",
        "io.hostmesh.api.HttpApi", MeshImportsApi.class);
  }

  @Test
  void vertxWebServerSideInAUnitIsReportedButTheWebClientIsNot() {
    assertReported(HostmeshRules.FRONT_END_LIBRARIES_ONLY_AT_THE_EDGE, "front-end libraries stay at the edge",
        "io.vertx.ext.web.Router", UnitBreaksTheRules.class);
    EvaluationResult client = HostmeshRules.FRONT_END_LIBRARIES_ONLY_AT_THE_EDGE
        .evaluate(new ClassFileImporter().importClasses(UnitUsesWebClient.class));
    assertFalse(client.hasViolation(), client.getFailureReport().toString());
  }

  @Test
  void anInternalClassUsedFromAnotherModuleIsReported() {
    // two pretend modules: the internal package is one, everything else the other
    ArchRule rule = HostmeshRules.internalStaysInItsModule(c -> c.getPackageName().endsWith(".internal") ? "a" : "b");
    assertReported(rule, "internal packages stay in their module", "module b uses an internal class of module a",
        Hidden.class, Outsider.class);
    EvaluationResult sameModule = HostmeshRules.internalStaysInItsModule(c -> "one")
        .evaluate(new ClassFileImporter().importClasses(Hidden.class, Outsider.class));
    assertFalse(sameModule.hasViolation(), sameModule.getFailureReport().toString());
  }

  @Test
  void aVertxTimerInAUnitIsReported() {
    assertReported(HostmeshRules.unitsUseTheScheduler(Set.of()), "units use the Scheduler", "Vertx.setTimer",
        UnitBreaksTheRules.class);
  }

  @Test
  void theHostClockInAUnitIsReported() {
    ArchRule rule = HostmeshRules.unitsReadNoHostClock(Set.of());
    assertReported(rule, "units read no host clock", "System.nanoTime", UnitBreaksTheRules.class);
    assertReported(rule, "units read no host clock", "System.currentTimeMillis", UnitBreaksTheRules.class);
  }

  private static void assertReported(ArchRule rule, String ruleName, String culprit, Class<?>... classes) {
    EvaluationResult r = rule.evaluate(new ClassFileImporter().importClasses(classes));
    String report = r.getFailureReport().toString();
    assertTrue(r.hasViolation(), "rule '" + ruleName + "' reports nothing for " + java.util.List.of(classes));
    assertTrue(report.contains("rule '" + ruleName + "'"), "the failure names the rule: " + report);
    assertTrue(report.contains(culprit), "the failure names " + culprit + ": " + report);
  }

  private static Set<String> calls(com.tngtech.archunit.base.DescribedPredicate<JavaMethodCall> what) {
    Set<String> out = new TreeSet<>();
    production.forEach(c -> c.getMethodCallsFromSelf().stream().filter(what)
        .filter(call -> HostmeshRules.unitFamily(call.getOriginOwner().getPackageName()) != null)
        .forEach(call -> out.add(HostmeshRules.callLine(call))));
    return out;
  }
}
