package io.hostmesh.configwatch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.hostmesh.schema.config.ConfigDocument;
import io.hostmesh.schema.config.ConfigSchema;
import io.hostmesh.schema.config.ConfigTopics;
import io.hostmesh.schema.config.ConfigViolation;
import io.hostmesh.schema.config.DeviceConfig;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The config.json rules (ConfigSchema) and the typed model (ConfigDocument). */
class ConfigSchemaTest {
  static ConfigDocument.Reading read(String json) {
    return ConfigDocument.read(json.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void theTypedModelFollowsTheJqRules() {
    DeviceConfig c = read("{\"hostname\":1234,\"developmentMode\":\"true\",\"dnsServers\":false,\"persistentLogging\":true,"
        + "\"os\":{\"sshKeys\":[],\"udevRules\":{\"b\":\"B\",\"a\":\"A\"},\"network\":{\"connectivity\":{\"interval\":60},"
        + "\"wifi\":{\"randomMacAddressScan\":false}}},\"balenaRootCA\":null,\"installer\":{\"secureboot\":true}}").config();
    assertEquals("1234", c.hostname());
    assertTrue(c.developmentMode());
    assertNull(c.dnsServers(), "false means absent");
    assertEquals(List.of(), c.sshKeys());
    assertEquals(List.of("a", "b"), List.copyOf(c.udevRules().keySet()));
    assertEquals("60", c.connectivityInterval());
    assertFalse(c.randomMacAddressScan());
    assertTrue(c.persistentLogging());
    assertEquals(Map.of("secureboot", true), c.document().get("installer"));
  }

  @Test
  void everyRefusalNamesItsPointer() {
    assertEquals("/os/network/connectivity/interval",
        read("{\"os\":{\"network\":{\"connectivity\":{\"interval\":\"1h\"}}}}").first().pointer());
    assertEquals("/os/sshKeys/1", read("{\"os\":{\"sshKeys\":[\"a\",\"b\\nc\"]}}").first().pointer());
    assertEquals("/os/udevRules/a~0b~1c", read("{\"os\":{\"udevRules\":{\"a~b/c\":\"x\"}}}").first().pointer());
    assertEquals("/installer/secureboot", read("{\"installer\":{\"secureboot\":\"yes\"}}").first().pointer());
    var two = read("{\"hostname\":[],\"country\":{}}");
    assertEquals(List.of(new ConfigViolation("/hostname", "must be a string, found an array"),
        new ConfigViolation("/country", "must be a string, found an object")), two.violations(), "every one, in full");
    assertFalse(two.refusedWhole());
    assertEquals("{\"hostname\":[],\"country\":{}}", two.document().toString(), "the document is kept for the good keys");
    assertTrue(read("[1]").first().reason().contains("must be a JSON object, found an array"));
    assertTrue(read("[1]").refusedWhole());
    assertTrue(read("{\"a\":" + "[".repeat(200) + "]".repeat(200) + "}").first().reason().contains("not valid JSON"));
  }

  @Test
  void hostnamesAndRuleNames() {
    assertTrue(ConfigSchema.validHostname("a-b.c1"));
    for (String bad : List.of("a;reboot", "-a", "a-", "a..b", "a_b", "a".repeat(64), "x.", "ä")) {
      assertFalse(ConfigSchema.validHostname(bad), bad);
    }
    assertTrue(ConfigSchema.validRuleName("99-custom.net@x+y"));
    for (String bad : List.of("../x", "a/b", "..", "a..b", ".hidden", "a b", "a;b", "$(x)", "a\nb", "")) {
      assertFalse(ConfigSchema.validRuleName(bad), bad);
    }
  }

  @Test
  void theJsonSchemaContractShipsAndNamesEveryCheckedKey() throws Exception {
    var in = ConfigSchema.class.getResourceAsStream(ConfigSchema.RESOURCE);
    assertNotNull(in, ConfigSchema.RESOURCE);
    JsonNode schema = ConfigDocument.mapper().readTree(in);
    assertEquals("https://json-schema.org/draft/2020-12/schema", schema.get("$schema").asText());
    for (String key : List.of("hostname", "uuid", "apiEndpoint", "deviceApiKey", "developmentMode", "persistentLogging",
        "ntpServers", "dnsServers", "country", "balenaRootCA", "os", "installer")) {
      assertTrue(schema.get("properties").has(key), key);
    }
    JsonNode os = schema.at("/properties/os/properties");
    assertTrue(os.has("sshKeys") && os.has("udevRules") && os.has("network"));
    assertEquals(ConfigSchema.RULE_NAME.pattern(),
        os.at("/udevRules/propertyNames/pattern").asText().replaceAll("^\\^|\\$$", ""));
  }

  @Test
  void countryIsAnIsoCodeAndTheSchemaListsTheSameCodes() throws Exception {
    assertTrue(read("{\"country\":\"DE\"}").ok());
    assertTrue(read("{\"country\":\"00\"}").ok(), "the world regulatory domain");
    assertTrue(read("{\"country\":\"\"}").ok(), "\"\" reads as not set");
    assertTrue(read("{\"country\":false}").ok());
    for (String bad : List.of("XX", "de", "DEU", "D", "XX;reboot", "null")) {
      assertEquals("/country", read("{\"country\":\"" + bad + "\"}").first().pointer(), bad);
      assertTrue(read("{\"country\":\"" + bad + "\"}").first().reason().contains("ISO 3166 alpha-2"), bad);
    }
    JsonNode schema = ConfigDocument.mapper().readTree(ConfigSchema.class.getResourceAsStream(ConfigSchema.RESOURCE));
    java.util.Set<String> listed = new java.util.TreeSet<>();
    schema.at("/properties/country/anyOf/0/enum").forEach(n -> listed.add(n.asText()));
    listed.remove("");
    assertEquals(new java.util.TreeSet<>(ConfigSchema.COUNTRY_CODES), listed, "the shipped contract and the check agree");
  }

  @Test
  void aViolationBelongsToItsKeyAndHoldsBackTheProjectionsThatReadIt() {
    assertEquals("/os/sshKeys", ConfigSchema.keyOf("/os/sshKeys/3"));
    assertEquals("/os/udevRules", ConfigSchema.keyOf("/os/udevRules/..~1x"));
    assertEquals("/os", ConfigSchema.keyOf("/os"));
    assertEquals("", ConfigSchema.keyOf(""));
    // spec/config-json.md, runtime reconfiguration map: who reads what (written out, not derived)
    Map<String, List<String>> readers = Map.ofEntries(
        Map.entry("/hostname", List.of("hostname")),
        Map.entry("/uuid", List.of("hostname")),
        Map.entry("/apiEndpoint", List.of("networkmanager", "connectivity")),
        Map.entry("/deviceApiKey", List.of()),
        Map.entry("/developmentMode", List.of("development")),
        Map.entry("/persistentLogging", List.of("persistent-logging")),
        Map.entry("/ntpServers", List.of("ntp")),
        Map.entry("/dnsServers", List.of("dns")),
        Map.entry("/country", List.of("country")),
        Map.entry("/balenaRootCA", List.of("connectivity", "root-ca")),
        Map.entry("/os/sshKeys/1", List.of("ssh-keys", "development")),
        Map.entry("/os/udevRules/a;b", List.of("udev-rules")),
        Map.entry("/os/network/connectivity/uri", List.of("networkmanager", "connectivity")),
        Map.entry("/os/network/connectivity/interval", List.of("networkmanager")),
        Map.entry("/os/network/wifi/randomMacAddressScan", List.of("networkmanager")),
        Map.entry("/os/network", List.of("networkmanager", "connectivity")),
        Map.entry("/installer/secureboot", List.of()));
    readers.forEach((pointer, names) -> assertEquals(names,
        ConfigTopics.readers(pointer).stream().map(ConfigTopics.Projection::name).toList(), pointer));
    assertEquals(ConfigTopics.PROJECTIONS.size(), ConfigTopics.readers("").size(), "a refused document holds back all");
    assertEquals(List.of("dns", "ntp"), ConfigTopics.heldBack(List.of(new ConfigViolation("/ntpServers", "x"),
        new ConfigViolation("/dnsServers", "y"))).stream().map(ConfigTopics.Projection::name).toList());
  }

  @Test
  void theDocumentInForceTakesTheGoodKeysAndKeepsTheLastGoodValueOfTheBadOnes() {
    var last = read("{\"hostname\":\"old\",\"ntpServers\":\"a.example.com\",\"os\":{\"sshKeys\":[\"k1\"]}}").document();
    var now = read("{\"hostname\":\"new\",\"ntpServers\":[\"b.example.com\"],\"os\":{\"sshKeys\":[\"k2\",7]},\"x\":1}");
    var effective = ConfigDocument.effective(now.document(), now.violations(), last);
    assertEquals("{\"hostname\":\"new\",\"ntpServers\":\"a.example.com\",\"os\":{\"sshKeys\":[\"k1\"]},\"x\":1}",
        effective.toString());
    assertEquals("{\"hostname\":\"new\",\"os\":{},\"x\":1}",
        ConfigDocument.effective(now.document(), now.violations(), null).toString(), "first boot: left out");
    var os = read("{\"os\":\"x\",\"hostname\":\"h\"}");
    assertEquals("{\"hostname\":\"h\"}", ConfigDocument.effective(os.document(), os.violations(), null).toString());
    assertTrue(ConfigSchema.validate(effective).isEmpty());
    assertTrue(now.document().toString().contains("b.example.com"), "the reading itself is not modified");
  }

  @Test
  void unknownKeysAreNamedButKnownBalenaKeysAreNot() {
    assertEquals(List.of("/nosuchkey", "/os/nosuch", "/os/network/wifi/x"), ConfigSchema.unknownKeys(
        read("{\"nosuchkey\":1,\"applicationId\":2,\"os\":{\"nosuch\":1,\"fan\":{\"profile\":\"quiet\"},"
            + "\"udevRules\":{\"r\":\"x\"},\"network\":{\"wifi\":{\"x\":1}}}}").document()));
    assertTrue(ConfigSchema.known("/os/udevRules/any-name"));
    assertFalse(ConfigSchema.known("/hostnam"));
  }
}
