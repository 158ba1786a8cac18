package io.hostmesh.deploy.arch;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaAccess;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaMethodCall;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;
import com.tngtech.archunit.library.dependencies.SlicesRuleDefinition;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The module rules of hostmesh as ArchUnit rules. Each has a name (its {@code because}) so a
 * failing build says which rule broke; {@link ArchitectureTest} checks them on the production
 * classes of every module, and on deliberately bad classes to show that each one bites.
 */
final class HostmeshRules {
  private HostmeshRules() {}

  /** Unit families by package: one slice each; the small units of services/units are one family. */
  static final Map<String, String> UNIT_FAMILIES = new LinkedHashMap<>();

  static {
    // timeinit-rtc lives under io.hostmesh.units, so it is matched before the services/units family
    UNIT_FAMILIES.put("io.hostmesh.units.rtc", "timeinit-rtc");
    UNIT_FAMILIES.put("io.hostmesh.timesync", "timesync-https");
    UNIT_FAMILIES.put("io.hostmesh.chrony", "chrony-bridge");
    UNIT_FAMILIES.put("io.hostmesh.configwatch", "config-watcher");
    UNIT_FAMILIES.put("io.hostmesh.udev", "udev-applier");
    UNIT_FAMILIES.put("io.hostmesh.ssh", "ssh-socket");
    UNIT_FAMILIES.put("io.hostmesh.units", "units");
  }

  /** Every unit package, as ArchUnit package patterns. */
  static final String[] UNIT_PACKAGES = {"io.hostmesh.units..", "io.hostmesh.timesync..", "io.hostmesh.chrony..",
      "io.hostmesh.configwatch..", "io.hostmesh.udev..", "io.hostmesh.ssh.."};

  static final String[] RUNTIME_PACKAGES = {"io.hostmesh.unit..", "io.hostmesh.mesh..", "io.hostmesh.platform..",
      "io.hostmesh.spi..", "io.hostmesh.bus..", "io.hostmesh.schema.."};

  /** The family of a unit package, or null when the class is no unit's. */
  static String unitFamily(String packageName) {
    for (var e : UNIT_FAMILIES.entrySet()) {
      if (packageName.equals(e.getKey()) || packageName.startsWith(e.getKey() + ".")) {
        return e.getValue();
      }
    }
    return null;
  }

  static final ArchRule UNIT_MODULES_ARE_INDEPENDENT = SlicesRuleDefinition.slices()
      .assignedFrom(new SliceAssignment() {
        @Override
        public SliceIdentifier getIdentifierOf(JavaClass c) {
          String family = unitFamily(c.getPackageName());
          return family == null ? SliceIdentifier.ignore() : SliceIdentifier.of(family);
        }

        @Override
        public String getDescription() {
          return "unit families (timeinit-rtc, timesync-https, chrony-bridge, config-watcher, udev-applier, ssh-socket, units)";
        }
      })
      .should().notDependOnEachOther()
      .because("rule 'unit modules are independent': units talk only through topics on the bus, so a unit module never imports another");

  static final ArchRule RUNTIME_DEPENDS_ON_NO_UPPER_LAYER = noClasses()
      .that().resideInAnyPackage(RUNTIME_PACKAGES)
      .should().dependOnClassesThat().resideInAnyPackage(concat(UNIT_PACKAGES, "io.hostmesh.api..", "io.hostmesh.cli..",
          "io.hostmesh.demo..", "io.hostmesh.testing..", "io.hostmesh.deploy.."))
      .because("rule 'the runtime is the bottom layer': units and plugins compile against the runtime and eventbus-schema alone,"
          + " so they must not pull in units, the API, the CLI, the demo, the testkit or the distribution");

  /** Vert.x Web's server side (its client, codecs and common classes are allowed: timesync-https uses the client). */
  static final DescribedPredicate<JavaClass> FRONT_END_LIBRARIES =
      resideInAnyPackage("io.vertx.ext.web..", "picocli..", "io.micrometer.prometheusmetrics..", "org.bouncycastle..")
          .and(DescribedPredicate.not(resideInAnyPackage("io.vertx.ext.web.client..", "io.vertx.ext.web.codec..",
              "io.vertx.ext.web.common..")))
          .as("Vert.x Web (server side), picocli, the Prometheus registry or BouncyCastle");

  static final ArchRule FRONT_END_LIBRARIES_ONLY_AT_THE_EDGE = noClasses()
      .that().resideOutsideOfPackages("io.hostmesh.api..", "io.hostmesh.cli..", "io.hostmesh.demo..", "io.hostmesh.deploy..")
      .should().dependOnClassesThat(FRONT_END_LIBRARIES)
      .because("rule 'front-end libraries stay at the edge': only api, cli, demo and deploy may use them;"
          + " a unit or plugin that did would drag them onto every integrator's class path");

  /** A class of an {@code ..internal..} package is used only by classes of its own module. */
  static ArchRule internalStaysInItsModule(Function<JavaClass, String> moduleOf) {
    return classes().that().resideInAPackage("..internal..").and().resideInAPackage("io.hostmesh..")
        .should(new ArchCondition<JavaClass>("be used only from their own module") {
          @Override
          public void check(JavaClass target, ConditionEvents events) {
            String home = moduleOf.apply(target);
            for (Dependency d : target.getDirectDependenciesToSelf()) {
              String from = moduleOf.apply(d.getOriginClass());
              if (!home.equals(from)) {
                events.add(SimpleConditionEvent.violated(d, d.getDescription() + " (module " + from + " uses an internal class of module "
                    + home + ")"));
              }
            }
          }
        })
        .allowEmptyShould(true)
        .because("rule 'internal packages stay in their module': what a module keeps under ..internal.. may change without notice");
  }

  /** The module a class was loaded from: the folder holding {@code target/classes}, or a jar's name without its version. */
  static String moduleOf(JavaClass c) {
    return c.getSource().map(s -> moduleOf(s.getUri())).orElse("unknown");
  }

  static String moduleOf(URI uri) {
    String s = uri.toString();
    int classes = s.indexOf("/target/classes/");
    if (classes >= 0) {
      String dir = s.substring(0, classes);
      return dir.substring(dir.lastIndexOf('/') + 1);
    }
    int jar = s.indexOf(".jar!");
    if (jar >= 0) {
      return s.substring(s.lastIndexOf('/', jar) + 1, jar).replaceFirst("-\\d[^-]*(-SNAPSHOT)?$", "");
    }
    return s;
  }

  /** Vert.x timer methods a unit must not call: it asks its Scheduler, which tests replace with virtual time. */
  static final Set<String> VERTX_TIMERS = Set.of("setTimer", "setPeriodic", "timer");

  static final DescribedPredicate<JavaMethodCall> VERTX_TIMER_CALL = DescribedPredicate.describe(
      "a Vert.x timer (Vertx.setTimer, setPeriodic, timer)",
      call -> VERTX_TIMERS.contains(call.getName()) && call.getTargetOwner().isAssignableTo("io.vertx.core.Vertx"));

  static final DescribedPredicate<JavaMethodCall> HOST_TIME_CALL = DescribedPredicate.describe(
      "System.nanoTime or System.currentTimeMillis",
      call -> call.getTargetOwner().isEquivalentTo(System.class)
          && (call.getName().equals("nanoTime") || call.getName().equals("currentTimeMillis")));

  /**
   * Units call no Vert.x timer; {@code known} lists calls (as {@link #callLine}) that already exist and
   * are owed a fix, so the rule holds for everything else meanwhile.
   */
  static ArchRule unitsUseTheScheduler(Set<String> known) {
    return noClasses().that().resideInAnyPackage(UNIT_PACKAGES)
        .should().callMethodWhere(VERTX_TIMER_CALL.and(DescribedPredicate.describe("not a known call",
            (JavaMethodCall c) -> !known.contains(callLine(c)))))
        .because("rule 'units use the Scheduler': a Vert.x timer in a unit runs on real time, so virtual-time tests"
            + " cannot drive it (unit().scheduler(), or scheduler().realTime() for waits on real processes)");
  }

  /** Units read no host clock; {@code known} as for {@link #unitsUseTheScheduler}. */
  static ArchRule unitsReadNoHostClock(Set<String> known) {
    return noClasses().that().resideInAnyPackage(UNIT_PACKAGES)
        .should().callMethodWhere(HOST_TIME_CALL.and(DescribedPredicate.describe("not a known call",
            (JavaMethodCall c) -> !known.contains(callLine(c)))))
        .because("rule 'units read no host clock': a unit's time is its Scheduler's (uptimeMillis, hostMillis) or the"
            + " device clock, so virtual time and the sim clock hold everywhere");
  }

  /** A short line for a violation: the calling class and the called method, as listed in {@code KNOWN_TIMER_CALLS}. */
  static String callLine(JavaAccess<?> call) {
    return call.getOriginOwner().getName().replaceFirst("\\$.*", "") + " -> " + call.getTargetOwner().getName() + "." + call.getName();
  }

  private static String[] concat(String[] a, String... b) {
    String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
