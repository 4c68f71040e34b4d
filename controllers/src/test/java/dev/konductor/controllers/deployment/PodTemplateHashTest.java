package dev.konductor.controllers.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class PodTemplateHashTest {

    static PodTemplateSpec template(String image) {
        return new PodTemplateSpecBuilder().withNewMetadata().addToLabels("app", "web").endMetadata()
                .withNewSpec().addNewContainer().withName("c").withImage(image).endContainer().endSpec().build();
    }

    @Test
    void fnv32aMatchesTheReferenceValues() {
        assertThat(PodTemplateHash.fnv32a(new byte[0])).isEqualTo(0x811c9dc5);
        assertThat(PodTemplateHash.fnv32a("a".getBytes(StandardCharsets.UTF_8))).isEqualTo(0xe40c292c);
        assertThat(PodTemplateHash.fnv32a("foobar".getBytes(StandardCharsets.UTF_8))).isEqualTo(0xbf9cf968);
    }

    @Test
    void safeEncodingMapsDigitsAsUpstream() {
        assertThat(PodTemplateHash.safeEncode("0123456789")).isEqualTo("456789bcdf");
    }

    @Test
    void theHashIsStableAndDependsOnTheTemplateAndCollisionCount() {
        String hash = PodTemplateHash.of(template("busybox"), null);
        assertThat(hash).matches("[456789bcdf]{1,10}");
        assertThat(PodTemplateHash.of(template("busybox"), null)).isEqualTo(hash);
        assertThat(PodTemplateHash.of(template("nginx"), null)).isNotEqualTo(hash);
        assertThat(PodTemplateHash.of(template("busybox"), 1)).isNotEqualTo(hash);
    }

    @Test
    void zeroValuesOfGoNonPointerFieldsEqualAbsentOnes() {
        // what a template created from a protobuf body holds, and what kubectl rollout undo sends back
        PodTemplateSpec stored = new PodTemplateSpecBuilder(template("busybox")).editMetadata().withGeneration(0L)
                .endMetadata().editSpec().withHostIPC(false).withHostNetwork(false).editFirstContainer()
                .withStdin(false).withTty(false).withWorkingDir("").endContainer().endSpec().build();
        assertThat(PodTemplateHash.equalIgnoringHash(stored, template("busybox"))).isTrue();
        // a pointer field set to false is a real change
        PodTemplateSpec noToken = new PodTemplateSpecBuilder(template("busybox")).editSpec()
                .withAutomountServiceAccountToken(false).endSpec().build();
        assertThat(PodTemplateHash.equalIgnoringHash(noToken, template("busybox"))).isFalse();
    }

    @Test
    void theHashLabelAndEmptyListsDoNotChangeEquality() {
        PodTemplateSpec labelled = new PodTemplateSpecBuilder(template("busybox")).editMetadata()
                .addToLabels(PodTemplateHash.LABEL, "abc").endMetadata().build();
        PodTemplateSpec withEmptyList = new PodTemplateSpecBuilder(template("busybox")).editSpec()
                .withVolumes(new java.util.ArrayList<>()).endSpec().build();
        assertThat(PodTemplateHash.equalIgnoringHash(labelled, template("busybox"))).isTrue();
        assertThat(PodTemplateHash.equalIgnoringHash(withEmptyList, template("busybox"))).isTrue();
        assertThat(PodTemplateHash.equalIgnoringHash(template("nginx"), template("busybox"))).isFalse();
        assertThat(PodTemplateHash.of(labelled, null)).isEqualTo(PodTemplateHash.of(template("busybox"), null));
    }
}
