package io.hostmesh.configwatch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.hostmesh.schema.config.ConfigDocument;
import io.hostmesh.schema.config.ConfigSchema;
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
    assertEquals(2, two.violations().size());
    assertTrue(two.first().reason().endsWith("(and 1 more)"));
    assertTrue(read("[1]").first().reason().contains("must be a JSON object, found an array"));
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
}
