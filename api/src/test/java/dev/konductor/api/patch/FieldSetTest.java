package dev.konductor.api.patch;

import static dev.konductor.api.patch.MiniSchemas.POD;
import static dev.konductor.api.patch.MiniSchemas.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.konductor.api.patch.PathElement.Field;
import java.util.List;
import org.junit.jupiter.api.Test;

class FieldSetTest {

    private static final String POD_JSON = """
            {'apiVersion':'v1','kind':'Pod','metadata':{'name':'p','labels':{'app':'web'},'finalizers':['f1']},
             'spec':{'containers':[{'name':'web','image':'nginx','ports':[{'containerPort':80}],'resources':{}}]}}""";

    /** {@code .spec.containers[name=web].image} of {@link #POD_JSON}. */
    private static final FieldSet IMAGE = FieldSet.of(List.of(List.of(new Field("spec"), new Field("containers"),
            new PathElement.Key(List.of(new PathElement.KeyField("name", json("'web'")))), new Field("image"))));

    @Test
    void fieldsOfAnAppliedObjectHaveUpstreamsShape() {
        FieldSet set = FieldSet.fromObject(json(POD_JSON), POD);
        assertThat(set.toFieldsV1()).isEqualTo(json("""
                {'f:apiVersion':{},'f:kind':{},
                 'f:metadata':{'f:finalizers':{'v:\\"f1\\"':{}},'f:labels':{'f:app':{}},'f:name':{}},
                 'f:spec':{'f:containers':{'k:{\\"name\\":\\"web\\"}':{'.':{},'f:image':{},'f:name':{},
                     'f:ports':{'k:{\\"containerPort\\":80}':{'.':{},'f:containerPort':{}}},'f:resources':{}}}}}"""));
    }

    @Test
    void fieldsV1RoundTripsAndKeepsUpstreamKeyOrder() {
        FieldSet set = FieldSet.fromObject(json(POD_JSON), POD);
        FieldSet back = FieldSet.fromFieldsV1(json(set.toFieldsV1().toString()));
        assertThat(back).isEqualTo(set);
        assertThat(back.toFieldsV1().toString()).isEqualTo(set.toFieldsV1().toString());
        // f: sorts before k:, which sorts before v: and i:.
        FieldSet mixed = FieldSet.of(List.of(List.of(new PathElement.Index(0)), List.of(new PathElement.Value(json("'x'"))),
                List.of(new PathElement.Key(List.of(new PathElement.KeyField("name", json("'a'"))))), List.of(new Field("z"))));
        assertThat(mixed.toFieldsV1().toString())
                .isEqualTo("{\"f:z\":{},\"k:{\\\"name\\\":\\\"a\\\"}\":{},\"v:\\\"x\\\"\":{},\"i:0\":{}}");
    }

    @Test
    void keysWithSeveralFieldsAreSortedAndNumbersNormalized() {
        PathElement a = PathElement.parse("k:{\"protocol\":\"TCP\",\"containerPort\":80}");
        PathElement b = new PathElement.Key(List.of(new PathElement.KeyField("containerPort", json("80.0")),
                new PathElement.KeyField("protocol", json("'TCP'"))));
        assertThat(a).isEqualTo(b);
        assertThat(a.serialize()).isEqualTo("k:{\"containerPort\":80,\"protocol\":\"TCP\"}");
        assertThat(a.display()).isEqualTo("[containerPort=80,protocol=\"TCP\"]");
    }

    @Test
    void setOperationsAreStructural() {
        FieldSet spec = set(List.of("spec"));
        FieldSet replicas = set(List.of("spec", "replicas"));
        FieldSet both = spec.union(replicas);
        assertThat(both.toFieldsV1()).isEqualTo(json("{'f:spec':{'.':{},'f:replicas':{}}}"));
        assertThat(both.difference(spec)).isEqualTo(replicas);
        assertThat(both.intersection(replicas)).isEqualTo(replicas);
        assertThat(replicas.difference(spec)).as("owning .spec is not owning .spec.replicas").isEqualTo(replicas);
        assertThat(replicas.recursiveDifference(spec)).isEqualTo(FieldSet.empty());
        assertThat(both.has(List.of(new Field("spec"), new Field("replicas")))).isTrue();
        assertThat(both.paths()).extracting(PathElement::display)
                .containsExactly(".spec", ".spec.replicas");
    }

    @Test
    void malformedFieldsV1IsRejected() {
        assertThatThrownBy(() -> FieldSet.fromFieldsV1(json("{'x:y':{}}"))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> FieldSet.fromFieldsV1(json("{'f:a':1}"))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> FieldSet.fromFieldsV1(json("{'k:[1]':{}}"))).isInstanceOf(IllegalArgumentException.class);
    }

    @SafeVarargs
    private static FieldSet set(List<String>... paths) {
        return FieldSet.of(java.util.Arrays.stream(paths)
                .map(p -> p.stream().<PathElement>map(Field::new).toList()).toList());
    }

    @Test
    void aStoredSetReadsLazilyAndActsAsTheParsedOne() {
        FieldSet parsed = FieldSet.fromObject(json(POD_JSON), POD);
        com.fasterxml.jackson.databind.node.ObjectNode fieldsV1 = parsed.toFieldsV1();
        FieldSet elsewhere = FieldSet.of(List.of(List.of(new Field("status"), new Field("phase")),
                List.of(new Field("metadata"), new Field("labels"), new Field("tier"))));

        // nothing to take away: the very set, written back as it was read
        FieldSet untouched = FieldSet.ofStoredFieldsV1(fieldsV1);
        assertThat(untouched.difference(elsewhere)).isSameAs(untouched);
        assertThat(untouched.toFieldsV1()).as("shared, not copied").isSameAs(fieldsV1);
        assertThat(untouched.isEmpty()).isFalse();

        // something to take away: the same result as the parsed set's
        FieldSet stored = FieldSet.ofStoredFieldsV1(fieldsV1);
        assertThat(stored.difference(IMAGE)).isEqualTo(parsed.difference(IMAGE));
        assertThat(stored.difference(IMAGE).toFieldsV1()).isEqualTo(parsed.difference(IMAGE).toFieldsV1());
        assertThat(stored).isEqualTo(parsed);
        assertThat(FieldSet.ofStoredFieldsV1(fieldsV1).union(elsewhere)).isEqualTo(parsed.union(elsewhere));
        assertThat(FieldSet.ofStoredFieldsV1(fieldsV1).intersection(IMAGE)).isEqualTo(parsed.intersection(IMAGE));
        assertThat(FieldSet.ofStoredFieldsV1(fieldsV1).paths()).isEqualTo(parsed.paths());
        // a member of the other set below a path that is only a member here takes nothing
        FieldSet belowLabels = FieldSet.of(List.of(List.of(new Field("metadata"), new Field("name"), new Field("x"))));
        assertThat(FieldSet.ofStoredFieldsV1(fieldsV1).difference(belowLabels)).isEqualTo(parsed);
    }

    @Test
    void containsAllAnswersAlikeForAStoredAndAParsedSet() {
        FieldSet parsed = FieldSet.fromObject(json(POD_JSON), POD);
        com.fasterxml.jackson.databind.node.ObjectNode fieldsV1 = parsed.toFieldsV1();
        FieldSet nameAndApp = set(List.of("metadata", "name"), List.of("metadata", "labels", "app"));
        FieldSet elsewhere = set(List.of("metadata", "labels", "tier"));
        FieldSet parentOnly = set(List.of("spec"));
        FieldSet mixed = IMAGE.union(elsewhere);

        assertThat(parsed.containsAll(IMAGE)).isTrue();
        assertThat(parsed.containsAll(nameAndApp)).isTrue();
        assertThat(parsed.containsAll(elsewhere)).isFalse();
        assertThat(parsed.containsAll(parentOnly)).as(".spec only leads to members").isFalse();
        assertThat(parsed.containsAll(mixed)).isFalse();
        for (FieldSet other : List.of(IMAGE, nameAndApp, elsewhere, parentOnly, mixed, FieldSet.empty(), parsed)) {
            assertThat(FieldSet.ofStoredFieldsV1(fieldsV1).containsAll(other)).isEqualTo(parsed.containsAll(other));
        }

        // a union adding nothing is the very set, still as it was read
        FieldSet stored = FieldSet.ofStoredFieldsV1(fieldsV1);
        assertThat(stored.union(IMAGE)).isSameAs(stored);
        assertThat(stored.union(elsewhere)).isEqualTo(parsed.union(elsewhere));
    }
}
