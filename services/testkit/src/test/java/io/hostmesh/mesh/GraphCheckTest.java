package io.hostmesh.mesh;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.hostmesh.bus.Topic;
import io.hostmesh.schema.targets.Target;
import io.hostmesh.unit.UnitDescriptor;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The graph is checked before anything starts; every problem names its units. */
class GraphCheckTest {
  static final Topic<Target> ALPHA = Topic.state("target.alpha", Target.class);
  static final Topic<Target> BETA = Topic.state("target.beta", Target.class);
  static final Topic<Target> GAMMA = Topic.state("target.gamma", Target.class);
  static final Topic<String> REPORT = Topic.state("unit.reporter.report", String.class);

  static UnitDescriptor.Builder unit(String name) {
    return UnitDescriptor.named(name);
  }

  static List<String> problems(Set<Topic<?>> external, UnitDescriptor.Builder... units) {
    List<UnitDescriptor> ds = java.util.Arrays.stream(units).map(UnitDescriptor.Builder::build).toList();
    return assertThrows(MeshException.class, () -> GraphCheck.validate(ds, external)).problems();
  }

  static List<String> problems(UnitDescriptor.Builder... units) {
    return problems(Set.of(), units);
  }

  static void valid(Set<Topic<?>> external, UnitDescriptor.Builder... units) {
    List<UnitDescriptor> ds = java.util.Arrays.stream(units).map(UnitDescriptor.Builder::build).toList();
    assertDoesNotThrow(() -> GraphCheck.validate(ds, external));
  }

  @Test
  void aDuplicateNameIsRefusedByName() {
    assertEquals(List.of("two units are named 'twin'"), problems(unit("twin"), unit("solo"), unit("twin")));
  }

  @Test
  void aRequirementNobodyProvidesNamesTheUnitTheRequirementAndItsTopic() {
    assertEquals(List.of("unit 'chrony-like' requires 'gamma' (target.gamma) but no unit provides it"),
        problems(unit("chrony-like").requires(GAMMA), unit("other").provides(ALPHA)));
    assertEquals(List.of("unit 'reader' requires 'a report' (unit.reporter.report) but no unit provides it"),
        problems(unit("reader").requires(REPORT, r -> true, "a report")));
  }

  @Test
  void externalTopicsAndPublishedTopicsSatisfyRequirements() {
    valid(Set.of(GAMMA), unit("chrony-like").requires(GAMMA));
    valid(Set.of(), unit("reader").requires(REPORT), unit("reporter").publishes(REPORT));
    valid(Set.of(), unit("consumer").requires(ALPHA), unit("p1").provides(ALPHA), unit("p2").provides(ALPHA));
  }

  @Test
  void afterAnAbsentUnitIsOrderingOnly() {
    valid(Set.of(), unit("fake-hwclock").after("timeinit-buildtime"));
  }

  @Test
  void aTwoUnitCycleThroughTargetsNamesBoth() {
    assertEquals(List.of("dependency cycle: a -> b -> a"),
        problems(unit("a").requires(BETA).provides(ALPHA), unit("b").requires(ALPHA).provides(BETA)));
  }

  @Test
  void aTwoUnitCycleThroughAfterNamesBoth() {
    assertEquals(List.of("dependency cycle: a -> b -> a"), problems(unit("b").after("a"), unit("a").after("b")));
  }

  @Test
  void aThreeUnitCycleThroughTargetsNamesAllThree() {
    // a needs gamma (from c), c needs beta (from b), b needs alpha (from a)
    assertEquals(List.of("dependency cycle: a -> c -> b -> a"), problems(
        unit("a").requires(GAMMA).provides(ALPHA),
        unit("b").requires(ALPHA).provides(BETA),
        unit("c").requires(BETA).provides(GAMMA)));
  }

  @Test
  void aThreeUnitCycleThroughAfterNamesAllThree() {
    assertEquals(List.of("dependency cycle: x -> z -> y -> x"),
        problems(unit("x").after("z"), unit("y").after("x"), unit("z").after("y")));
  }

  @Test
  void aCycleMixingAfterTargetsAndPublishedTopicsIsFound() {
    // m is after n; n needs the report r publishes; r needs alpha, which m provides
    assertEquals(List.of("dependency cycle: m -> n -> r -> m"), problems(
        unit("m").after("n").provides(ALPHA),
        unit("n").requires(REPORT),
        unit("r").requires(ALPHA).publishes(REPORT)));
  }

  @Test
  void aUnitWaitingForItselfIsACycle() {
    // the mesh latches a target once every provider has settled, so a provider that requires
    // it never starts; a unit after itself waits for its own settling
    assertEquals(List.of("dependency cycle: self -> self"), problems(unit("self").requires(ALPHA).provides(ALPHA)));
    assertEquals(List.of("dependency cycle: later -> later"), problems(unit("later").after("later")));
    assertEquals(List.of("dependency cycle: echo -> echo"), problems(unit("echo").requires(REPORT).publishes(REPORT)));
  }

  @Test
  void aUnitRequiringWhatItPublishesIsNoCycleWhenSomeoneElseCanPublishItToo() {
    valid(Set.of(REPORT), unit("echo").requires(REPORT).publishes(REPORT));
    valid(Set.of(), unit("echo").requires(REPORT).publishes(REPORT), unit("first").publishes(REPORT));
  }

  @Test
  void aDiamondIsNoCycle() {
    valid(Set.of(),
        unit("top").requires(ALPHA).requires(BETA),
        unit("left").requires(GAMMA).provides(ALPHA),
        unit("right").requires(GAMMA).provides(BETA),
        unit("bottom").provides(GAMMA).after("absent"));
  }

  @Test
  void everyProblemIsReportedAtOnce() {
    List<String> all = problems(
        unit("dup"), unit("dup"),
        unit("lonely").requires(GAMMA),
        unit("a").after("b"), unit("b").after("a"));
    assertEquals(List.of("two units are named 'dup'",
        "unit 'lonely' requires 'gamma' (target.gamma) but no unit provides it",
        "dependency cycle: a -> b -> a"), all);
  }
}
