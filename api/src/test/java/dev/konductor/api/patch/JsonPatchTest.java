package dev.konductor.api.patch;

import static dev.konductor.api.patch.MiniSchemas.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.konductor.api.status.StatusException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class JsonPatchTest {

    private static final JsonNode DOC = json("{'a':{'b':1,'c':[1,2,3]},'x/y':'slash','m~n':'tilde'}");

    private static JsonNode apply(String ops) {
        return JsonPatch.apply(DOC, json(ops));
    }

    @Test
    void addsToObjectsAndArrays() {
        assertThat(apply("[{'op':'add','path':'/a/d','value':{'e':true}}]").at("/a/d/e").booleanValue()).isTrue();
        assertThat(apply("[{'op':'add','path':'/a/c/1','value':9}]").get("a").get("c")).isEqualTo(json("[1,9,2,3]"));
        assertThat(apply("[{'op':'add','path':'/a/c/-','value':4}]").get("a").get("c")).isEqualTo(json("[1,2,3,4]"));
        assertThat(apply("[{'op':'add','path':'/a/c/3','value':4}]").get("a").get("c")).isEqualTo(json("[1,2,3,4]"));
        assertThat(apply("[{'op':'add','path':'/a/b','value':2}]").at("/a/b").intValue()).isEqualTo(2);
    }

    @Test
    void replacesRemovesMovesAndCopies() {
        assertThat(apply("[{'op':'replace','path':'/a/b','value':'two'}]").at("/a/b").textValue()).isEqualTo("two");
        assertThat(apply("[{'op':'remove','path':'/a/c/0'}]").at("/a/c")).isEqualTo(json("[2,3]"));
        assertThat(apply("[{'op':'remove','path':'/a'}]").has("a")).isFalse();
        JsonNode moved = apply("[{'op':'move','from':'/a/b','path':'/z'}]");
        assertThat(moved.at("/z").intValue()).isEqualTo(1);
        assertThat(moved.at("/a").has("b")).isFalse();
        JsonNode copied = apply("[{'op':'copy','from':'/a/c','path':'/a/d'}]");
        assertThat(copied.at("/a/d")).isEqualTo(json("[1,2,3]"));
        ((ArrayNode) copied.at("/a/d")).add(4);
        assertThat(copied.at("/a/c")).as("a copy, not a shared node").isEqualTo(json("[1,2,3]"));
    }

    @Test
    void unescapesPointerTokens() {
        assertThat(apply("[{'op':'replace','path':'/x~1y','value':'s'}]").get("x/y").textValue()).isEqualTo("s");
        assertThat(apply("[{'op':'remove','path':'/m~0n'}]").has("m~n")).isFalse();
    }

    @Test
    void testOperationPassesOnEqualValuesIncludingNumbersOfAnotherWidth() {
        assertThat(apply("[{'op':'test','path':'/a/b','value':1.0},{'op':'test','path':'/a/c','value':[1,2,3]}]"))
                .isEqualTo(DOC);
        assertThat(apply("[{'op':'test','path':'/missing','value':null}]")).as("upstream's library allows this")
                .isEqualTo(DOC);
    }

    @Test
    void rootPathReplacesTheDocument() {
        assertThat(apply("[{'op':'replace','path':'','value':{'n':1}}]")).isEqualTo(json("{'n':1}"));
    }

    @Test
    void rolloutUndoReplacesTemplateAndAnnotations() {
        JsonNode deployment = json("""
                {'metadata':{'name':'web','annotations':{'deployment.kubernetes.io/revision':'2'}},
                 'spec':{'replicas':2,'template':{'metadata':{'labels':{'app':'web'}},
                   'spec':{'containers':[{'name':'web','image':'nginx:1.26'}]}}}}""");
        JsonNode result = JsonPatch.apply(deployment, json("""
                [{'op':'replace','path':'/spec/template','value':{'metadata':{'labels':{'app':'web'}},
                   'spec':{'containers':[{'name':'web','image':'nginx:1.25'}]}}},
                 {'op':'replace','path':'/metadata/annotations','value':{'deployment.kubernetes.io/revision':'1'}}]"""));
        assertThat(result.at("/spec/template/spec/containers/0/image").textValue()).isEqualTo("nginx:1.25");
        assertThat(result.at("/metadata/annotations")).isEqualTo(json("{'deployment.kubernetes.io/revision':'1'}"));
        assertThat(result.at("/spec/replicas").intValue()).isEqualTo(2);
        assertThat(deployment.at("/spec/template/spec/containers/0/image").textValue())
                .as("the target is not modified").isEqualTo("nginx:1.26");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
        "failed test            | [{'op':'test','path':'/a/b','value':2}]",
        "remove missing         | [{'op':'remove','path':'/a/zz'}]",
        "replace missing        | [{'op':'replace','path':'/nope','value':1}]",
        "add under missing      | [{'op':'add','path':'/nope/x','value':1}]",
        "index past end         | [{'op':'add','path':'/a/c/4','value':1}]",
        "leading zero index     | [{'op':'replace','path':'/a/c/01','value':1}]",
        "replace dash           | [{'op':'replace','path':'/a/c/-','value':1}]",
        "unknown op             | [{'op':'frobnicate','path':'/a'}]",
        "missing value          | [{'op':'add','path':'/a/q'}]",
        "pointer without slash  | [{'op':'add','path':'a','value':1}]",
        "move into own child    | [{'op':'move','from':'/a','path':'/a/inner'}]",
        "move from missing      | [{'op':'move','from':'/q','path':'/r'}]",
        "second op fails        | [{'op':'add','path':'/ok','value':1},{'op':'test','path':'/ok','value':2}]",
    })
    void failingOperationsAre422Invalid(String name, String ops) {
        assertThatThrownBy(() -> apply(ops))
                .isInstanceOfSatisfying(StatusException.class, e -> {
                    assertThat(e.code()).isEqualTo(422);
                    assertThat(e.reason()).isEqualTo("Invalid");
                    assertThat(e.getMessage()).isEqualTo("the server rejected our request due to an error in our request");
                });
        assertThat(DOC.has("ok")).as("atomic: nothing applied").isFalse();
    }

    @Test
    void malformedPatchDocumentIs400() {
        assertThatThrownBy(() -> apply("{'op':'add'}")).isInstanceOfSatisfying(StatusException.class,
                e -> assertThat(e.code()).isEqualTo(400));
        assertThatThrownBy(() -> apply("[1]")).isInstanceOfSatisfying(StatusException.class,
                e -> assertThat(e.reason()).isEqualTo("BadRequest"));
    }

    @Test
    void tooManyOperationsIs413() {
        ArrayNode ops = JsonValues.NODES.arrayNode();
        for (int i = 0; i <= JsonPatch.MAX_OPERATIONS; i++) {
            ops.addObject().put("op", "test").put("path", "/a/b").put("value", 1);
        }
        assertThatThrownBy(() -> JsonPatch.apply(DOC, ops)).isInstanceOfSatisfying(StatusException.class, e -> {
            assertThat(e.code()).isEqualTo(413);
            assertThat(e.getMessage()).isEqualTo("The allowed maximum operations in a JSON patch is 10000, got 10001");
        });
    }
}
