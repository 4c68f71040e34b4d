package dev.konductor.api.patch;

import static dev.konductor.api.patch.MiniSchemas.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.konductor.api.status.StatusException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MergePatchTest {

    /** RFC 7386 appendix A, restricted to object patches (the only kind an API object accepts). */
    @ParameterizedTest(name = "{0} + {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
        "{'a':'b'}                  | {'a':'c'}             | {'a':'c'}",
        "{'a':'b'}                  | {'b':'c'}             | {'a':'b','b':'c'}",
        "{'a':'b'}                  | {'a':null}            | {}",
        "{'a':'b','b':'c'}          | {'a':null}            | {'b':'c'}",
        "{'a':['b']}                | {'a':'c'}             | {'a':'c'}",
        "{'a':'c'}                  | {'a':['b']}           | {'a':['b']}",
        "{'a':{'b':'c'}}            | {'a':{'b':'d','c':null}} | {'a':{'b':'d'}}",
        "{'a':[{'b':'c'}]}          | {'a':[1]}             | {'a':[1]}",
        "{'e':null}                 | {'a':1}               | {'e':null,'a':1}",
        "[1,2]                      | {'a':'b','c':null}    | {'a':'b'}",
        "{}                         | {'a':{'bb':{'ccc':null}}} | {'a':{'bb':{}}}",
    })
    void rfc7386Examples(String target, String patch, String expected) {
        assertThat(MergePatch.apply(json(target), json(patch))).isEqualTo(json(expected));
    }

    @Test
    void scaleSubresourcePatchChangesOnlyReplicas() {
        JsonNode scale = json("{'kind':'Scale','spec':{'replicas':1},'status':{'replicas':1,'selector':'app=nginx'}}");
        JsonNode result = MergePatch.apply(scale, json("{'spec':{'replicas':3}}"));
        assertThat(result.at("/spec/replicas").intValue()).isEqualTo(3);
        assertThat(result.get("status")).isEqualTo(scale.get("status"));
        assertThat(scale.at("/spec/replicas").intValue()).as("target untouched").isEqualTo(1);
    }

    @Test
    void keepsKeyOrderAndAppendsNewKeys() {
        JsonNode result = MergePatch.apply(json("{'a':1,'b':2,'c':3}"), json("{'d':4,'a':0}"));
        assertThat(result.toString()).isEqualTo("{\"a\":0,\"b\":2,\"c\":3,\"d\":4}");
    }

    @Test
    void nonObjectPatchIs400LikeUpstream() {
        for (String patch : new String[] {"[1]", "null", "3"}) {
            assertThatThrownBy(() -> MergePatch.apply(json("{}"), json(patch)))
                    .isInstanceOfSatisfying(StatusException.class, e -> {
                        assertThat(e.code()).isEqualTo(400);
                        assertThat(e.getMessage()).isEqualTo("Invalid JSON Patch");
                    });
        }
    }
}
