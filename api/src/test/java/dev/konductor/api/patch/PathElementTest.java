package dev.konductor.api.patch;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class PathElementTest {

    @Test
    void keysAndValuesSerializeAsCompactJsonAndParseBack() {
        PathElement key = new PathElement.Key(List.of(
                new PathElement.KeyField("containerPort", JsonValues.NODES.numberNode(8080)),
                new PathElement.KeyField("protocol", JsonValues.NODES.textNode("TCP"))));
        PathElement odd = new PathElement.Value(JsonValues.NODES.textNode("a \"quoted\" \\ tab\t é"));
        PathElement flag = new PathElement.Value(JsonValues.NODES.booleanNode(true));

        assertThat(key.serialize()).isEqualTo("k:{\"containerPort\":8080,\"protocol\":\"TCP\"}");
        assertThat(odd.serialize()).isEqualTo("v:" + JsonValues.NODES.textNode("a \"quoted\" \\ tab\t é"));
        assertThat(flag.serialize()).isEqualTo("v:true");
        for (PathElement pe : List.of(key, odd, flag)) {
            assertThat(PathElement.parse(pe.serialize())).isEqualTo(pe);
        }
    }
}
