package io.hostmesh.configwatch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hostmesh.schema.config.ConfigStatus;
import io.hostmesh.schema.config.ConfigTopics;
import io.hostmesh.schema.unit.UnitState;
import io.hostmesh.testing.SimDevice;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * 1,000+ random and mutated config.json documents through the real watcher and the config
 * units: the watcher never dies, judges every version, and nothing is written outside the
 * units' own files.
 */
class ConfigWatcherProperties {
  static final Set<String> OWN_FILES = Set.of("mnt/boot/config.json", "etc/hostname", "run/dnsmasq.servers",
      "etc/NetworkManager/conf.d/os-networkmanager.conf", "var/volatile/development-features",
      "usr/share/ca-certificates/balena/balenaRootCA.crt", "var/lib/hostmesh/clock-offset-ms");
  static final String VALID = "{\"uuid\":\"0123456789abcdef\",\"hostname\":\"prop\",\"dnsServers\":\"1.1.1.1\","
      + "\"os\":{\"udevRules\":{\"99\":\"KERNEL==\\\"x\\\"\"},\"network\":{\"connectivity\":{\"uri\":\"http://a/b\","
      + "\"interval\":\"60\"},\"wifi\":{\"randomMacAddressScan\":true}}},\"developmentMode\":true,\"country\":\"DE\"}";
  static final List<String> HOSTILE = List.of("../../etc/x", "a;reboot", "$(reboot)", "`id`", "1.1.1.1\nserver=6.6.6.6",
      "x\u0000y", "/etc/passwd", "..", "null", "", " ", "true", "ZZ", "de", "\r\n[main]\nplugins=evil", "8.8.8.8",
      "::1", "1.1.1.1 2.2.2.2", "a".repeat(300), "pool.ntp.org", "http://x y", "0", "-1", "ünïcode");
  static final List<String> KEYS = List.of("hostname", "uuid", "dnsServers", "ntpServers", "country", "apiEndpoint",
      "developmentMode", "persistentLogging", "balenaRootCA", "os", "installer", "unknownKey");

  static Vertx vertx;
  static SimDevice dev;

  @BeforeContainer
  static void start() {
    vertx = Vertx.vertx();
    dev = ConfigRoot.device(vertx).settings(s -> s.getJsonObject("units").getJsonObject(ConfigWatcher.NAME)
        .put("partialWriteGraceMillis", 0).put("debounceMillis", 1)).file(ConfigRoot.CONFIG, VALID).build();
    dev.start().await();
    dev.await(ConfigTopics.STATUS, ConfigStatus::inForce).await();
  }

  @AfterContainer
  static void stop() throws Exception {
    try {
      String digest = ConfigRoot.write(dev, VALID.replace("\"prop\"", "\"final\""));
      ConfigStatus s = dev.await(ConfigTopics.STATUS, x -> x.digest().equals(digest)).await(10, TimeUnit.SECONDS);
      assertEquals(null, s.error(), "a valid document is still taken after all the bad ones");
      ConfigRoot.awaitFile(dev, "/etc/hostname", "final\n");
      assertEquals(UnitState.ACTIVE, dev.mesh().unit(ConfigWatcher.NAME).orElseThrow().state());
      assertEquals(0, dev.mesh().unit(ConfigWatcher.NAME).orElseThrow().restarts(), "the watcher never died");
      assertOnlyOwnFiles(dev.root());
    } finally {
      dev.stop().await();
      dev.close();
      vertx.close().await();
    }
  }

  static void assertOnlyOwnFiles(Path root) throws Exception {
    try (Stream<Path> s = Files.walk(root)) {
      List<String> foreign = s.filter(Files::isRegularFile).map(p -> root.relativize(p).toString())
          .filter(f -> !OWN_FILES.contains(f) && !f.startsWith("var/log/")).toList();
      assertEquals(List.of(), foreign, "files written outside the units' own");
    }
  }

  @Property(tries = 1100)
  void theWatcherJudgesEveryDocumentAndSurvives(@ForAll("documents") byte[] doc) throws Exception {
    String digest = ConfigRoot.write(dev, doc);
    ConfigStatus s = dev.await(ConfigTopics.STATUS, x -> x.digest().equals(digest)).await(10, TimeUnit.SECONDS);
    assertTrue(s.error() == null || !s.error().reason().isEmpty());
    assertTrue(s.inForce(), "a config stays in force");
    // whatever the document, what is in force obeys the rules: refused keys are held back, never applied
    var inForce = dev.bus().latest(ConfigTopics.CONFIG).orElseThrow().document();
    assertEquals(List.of(), io.hostmesh.schema.config.ConfigSchema.validate(
        io.hostmesh.schema.config.ConfigDocument.mapper().valueToTree(inForce)), "the config in force is valid");
    var reading = io.hostmesh.schema.config.ConfigDocument.read(doc);
    if (!reading.refusedWhole()) {
      assertEquals(reading.violations().size(), s.refused().size(), "every violation is listed");
    }
    assertEquals(UnitState.ACTIVE, dev.mesh().unit(ConfigWatcher.NAME).orElseThrow().state());
    assertTrue(Files.notExists(dev.root().resolve("etc/x")) && Files.notExists(dev.root().getParent().resolve("etc/x")));
  }

  @Provide
  Arbitrary<byte[]> documents() {
    return Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(4, randomDocuments().map(s -> s.getBytes(StandardCharsets.UTF_8))),
        net.jqwik.api.Tuple.of(3, mutated()),
        net.jqwik.api.Tuple.of(1, Arbitraries.bytes().array(byte[].class).ofMaxSize(200)));
  }

  private Arbitrary<String> randomDocuments() {
    Arbitrary<String> key = Arbitraries.oneOf(Arbitraries.of(KEYS), Arbitraries.of(HOSTILE));
    return Combinators.combine(key, value(3)).as((k, v) -> io.vertx.core.json.Json.encode(k) + ":" + v)
        .list().ofMaxSize(8).map(members -> "{" + String.join(",", members) + "}");
  }

  private Arbitrary<String> value(int depth) {
    Arbitrary<String> scalar = Arbitraries.oneOf(
        Arbitraries.of(HOSTILE).map(io.vertx.core.json.Json::encode),
        Arbitraries.strings().ofMaxLength(20).map(io.vertx.core.json.Json::encode),
        Arbitraries.integers().map(String::valueOf),
        Arbitraries.of("true", "false", "null", "1.5e300", "-0"));
    if (depth == 0) {
      return scalar;
    }
    Arbitrary<String> key = Arbitraries.oneOf(Arbitraries.of("udevRules", "sshKeys", "network", "connectivity", "wifi",
        "uri", "interval", "randomMacAddressScan", "secureboot"), Arbitraries.of(HOSTILE));
    Arbitrary<String> object = Combinators.combine(key, Arbitraries.lazy(() -> value(depth - 1)))
        .as((k, v) -> io.vertx.core.json.Json.encode(k) + ":" + v).list().ofMaxSize(4)
        .map(m -> "{" + String.join(",", m) + "}");
    Arbitrary<String> array = Arbitraries.lazy(() -> value(depth - 1)).list().ofMaxSize(3)
        .map(m -> "[" + String.join(",", m) + "]");
    return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(5, scalar), net.jqwik.api.Tuple.of(2, object),
        net.jqwik.api.Tuple.of(1, array));
  }

  /** The valid document truncated, with a byte changed, or with bytes inserted. */
  private Arbitrary<byte[]> mutated() {
    byte[] base = VALID.getBytes(StandardCharsets.UTF_8);
    Arbitrary<Integer> at = Arbitraries.integers().between(0, base.length - 1);
    return Arbitraries.oneOf(
        at.map(i -> java.util.Arrays.copyOf(base, i)),
        Combinators.combine(at, Arbitraries.bytes()).as((i, b) -> {
          byte[] c = base.clone();
          c[i] = b;
          return c;
        }),
        Combinators.combine(at, Arbitraries.of(HOSTILE)).as((i, h) -> {
          byte[] ins = h.getBytes(StandardCharsets.UTF_8);
          byte[] c = new byte[base.length + ins.length];
          System.arraycopy(base, 0, c, 0, i);
          System.arraycopy(ins, 0, c, i, ins.length);
          System.arraycopy(base, i, c, i + ins.length, base.length - i);
          return c;
        }));
  }
}
