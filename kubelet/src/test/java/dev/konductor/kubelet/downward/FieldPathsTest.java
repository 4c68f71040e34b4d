package dev.konductor.kubelet.downward;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import org.junit.jupiter.api.Test;

class FieldPathsTest {

    private static final ObjectMeta META = new ObjectMetaBuilder().withName("web").withNamespace("shop").withUid("u-1")
            .addToLabels("tier", "front").addToLabels("app", "web")
            .addToAnnotations("note", "line1\nline2 \"q\" \\ é").build();

    @Test
    void allLabelsAreSortedKeyQuotedValueLines() {
        assertThat(FieldPaths.extract(META, "metadata.labels")).isEqualTo("app=\"web\"\ntier=\"front\"");
    }

    @Test
    void valuesAreQuotedAsGoQuotesThem() {
        assertThat(FieldPaths.extract(META, "metadata.annotations")).isEqualTo("note=\"line1\\nline2 \\\"q\\\" \\\\ é\"");
    }

    @Test
    void subscriptsGiveOneValueOrNothing() {
        assertThat(FieldPaths.extract(META, "metadata.labels['app']")).isEqualTo("web");
        assertThat(FieldPaths.extract(META, "metadata.labels['missing']")).isEmpty();
        assertThat(FieldPaths.extract(META, "metadata.annotations['note']")).startsWith("line1\n");
    }

    @Test
    void namesAndUid() {
        assertThat(FieldPaths.extract(META, "metadata.name")).isEqualTo("web");
        assertThat(FieldPaths.extract(META, "metadata.namespace")).isEqualTo("shop");
        assertThat(FieldPaths.extract(META, "metadata.uid")).isEqualTo("u-1");
    }

    @Test
    void otherPathsAreRefusedWithUpstreamsMessage() {
        assertThatThrownBy(() -> FieldPaths.extract(META, "spec.hostname")).hasMessage("unsupported fieldPath: spec.hostname");
        assertThatThrownBy(() -> FieldPaths.extract(META, "metadata.name['x']"))
                .hasMessage("fieldPath \"metadata.name['x']\" does not support subscript");
    }
}
