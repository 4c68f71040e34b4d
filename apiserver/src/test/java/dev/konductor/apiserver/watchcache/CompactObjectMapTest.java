package dev.konductor.apiserver.watchcache;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class CompactObjectMapTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** Random puts, replacements, removals and iterator removals: the same as a LinkedHashMap, in the same order. */
    @Test
    void behavesAsALinkedHashMap() {
        Random random = new Random(42);
        for (int round = 0; round < 200; round++) {
            CompactObjectMap compact = new CompactObjectMap();
            Map<String, JsonNode> expected = new LinkedHashMap<>();
            for (int op = 0; op < 60; op++) {
                String key = "k" + random.nextInt(14);
                switch (random.nextInt(5)) {
                    case 0, 1 -> {
                        JsonNode value = TextNode.valueOf("v" + op);
                        assertThat(compact.put(key, value)).isEqualTo(expected.put(key, value));
                    }
                    case 2 -> assertThat(compact.remove(key)).isEqualTo(expected.remove(key));
                    case 3 -> {
                        Iterator<Map.Entry<String, JsonNode>> it = compact.entrySet().iterator();
                        Iterator<Map.Entry<String, JsonNode>> ex = expected.entrySet().iterator();
                        while (it.hasNext()) {
                            Map.Entry<String, JsonNode> e = it.next();
                            assertThat(e.getKey()).isEqualTo(ex.next().getKey());
                            if (e.getKey().equals(key)) {
                                it.remove();
                                ex.remove();
                            }
                        }
                    }
                    default -> assertThat(compact.get(key)).isEqualTo(expected.get(key));
                }
                assertThat(compact.size()).isEqualTo(expected.size());
                assertThat(new ArrayList<>(compact.keySet())).isEqualTo(new ArrayList<>(expected.keySet()));
                assertThat(compact).isEqualTo(expected);
                assertThat(compact.hashCode()).isEqualTo(expected.hashCode());
            }
        }
    }

    @Test
    void treesDecodedWithTheFactoryEqualAndPrintAsJacksonsOwn() throws Exception {
        String json = """
                {"apiVersion":"v1","kind":"Pod","metadata":{"name":"p","labels":{"a":"1","b":"2"},
                 "managedFields":[{"manager":"m","fieldsV1":{"f:metadata":{"f:labels":{".":{},"f:a":{},"f:b":{}}}}}]},
                 "spec":{"containers":[{"name":"c","image":"busybox","env":[{"name":"A","value":"1"}]}],
                  "nodeSelector":{"k0":"0","k1":"1","k2":"2","k3":"3","k4":"4","k5":"5","k6":"6","k7":"7","k8":"8","k9":"9"}},
                 "status":{}}""";
        ObjectMapper decoder = CompactNodeFactory.decoderFrom(MAPPER);
        JsonNode compact = decoder.readTree(json);
        JsonNode plain = MAPPER.readTree(json);

        assertThat(compact).isEqualTo(plain);
        assertThat(plain).isEqualTo(compact);
        assertThat(MAPPER.writeValueAsString(compact)).isEqualTo(MAPPER.writeValueAsString(plain));
        assertThat(compact.at("/spec/nodeSelector/k9").asText()).isEqualTo("9");
        List<String> names = new ArrayList<>();
        compact.fieldNames().forEachRemaining(names::add);
        assertThat(names).containsExactly("apiVersion", "kind", "metadata", "spec", "status");

        JsonNode again = decoder.readTree(json);
        assertThat(again.at("/spec/containers/0/image")).as("short texts are shared")
                .isSameAs(compact.at("/spec/containers/0/image"));

        ObjectNode copy = ((ObjectNode) compact).deepCopy();
        copy.withObject("metadata").put("name", "q");
        assertThat(compact.at("/metadata/name").asText()).as("a copy is the writer's own").isEqualTo("p");
    }
}
