package dev.konductor.controllers.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReplicaSetListsTest {

    static ReplicaSet rs(String name, int replicas, int available, String created, Integer maxReplicas) {
        ReplicaSetBuilder b = new ReplicaSetBuilder().withNewMetadata().withName(name).withUid(name)
                .withCreationTimestamp(created).endMetadata()
                .withNewSpec().withReplicas(replicas).endSpec()
                .withNewStatus().withReplicas(replicas).withAvailableReplicas(available).endStatus();
        if (maxReplicas != null) {
            b.editMetadata().addToAnnotations(RevisionAnnotations.MAX_REPLICAS, maxReplicas.toString()).endMetadata();
        }
        return b.build();
    }

    @Test
    void proportionsFollowTheUpstreamExample() {
        // 10 replicas, maxSurge 3: a stuck rollout holds old 8 + new 5; scaling to 15 adds 5
        Deployment d = FencepostsTest.rolling(15, new IntOrString(3), new IntOrString(2));
        ReplicaSet old = rs("old", 8, 8, "2025-01-01T00:00:00Z", 13);
        ReplicaSet fresh = rs("new", 5, 0, "2025-01-01T00:01:00Z", 13);
        int first = ReplicaSetLists.proportion(old, d, 5, 0);
        int second = ReplicaSetLists.proportion(fresh, d, 5, first);
        assertThat(first).isEqualTo(3);
        assertThat(second).isEqualTo(2);
    }

    @Test
    void scalingDownToZeroTakesEverything() {
        Deployment d = FencepostsTest.rolling(0, new IntOrString(3), new IntOrString(2));
        assertThat(ReplicaSetLists.proportion(rs("a", 4, 4, "2025-01-01T00:00:00Z", 13), d, -13, 0)).isEqualTo(-4);
    }

    @Test
    void theOnlyActiveReplicaSetOrTheNewestTakesTheWholeSize() {
        ReplicaSet older = rs("a", 0, 0, "2025-01-01T00:00:00Z", null);
        ReplicaSet newer = rs("b", 0, 0, "2025-01-01T00:01:00Z", null);
        ReplicaSet active = rs("c", 2, 2, "2025-01-01T00:00:30Z", null);
        assertThat(ReplicaSetLists.activeOrLatest(null, List.of(older, newer))).isSameAs(newer);
        assertThat(ReplicaSetLists.activeOrLatest(null, List.of(older, active))).isSameAs(active);
        assertThat(ReplicaSetLists.activeOrLatest(active, List.of(older, rs("d", 1, 1, "2025-01-01T00:00:00Z", null))))
                .isNull();
    }

    @Test
    void aNewReplicaSetGrowsWithinTheSurge() {
        Deployment d = FencepostsTest.rolling(10, new IntOrString(3), new IntOrString(2));
        ReplicaSet old = rs("old", 10, 10, "2025-01-01T00:00:00Z", null);
        ReplicaSet fresh = rs("new", 0, 0, "2025-01-01T00:01:00Z", null);
        assertThat(ReplicaSetLists.newReplicaSetSize(d, List.of(old, fresh), fresh)).isEqualTo(3);
        ReplicaSet shrunk = rs("old", 8, 8, "2025-01-01T00:00:00Z", null);
        ReplicaSet grown = rs("new", 3, 0, "2025-01-01T00:01:00Z", null);
        assertThat(ReplicaSetLists.newReplicaSetSize(d, List.of(shrunk, grown), grown)).isEqualTo(5);
    }

    @Test
    void ordersForScaling() {
        ReplicaSet a = rs("a", 3, 3, "2025-01-01T00:00:00Z", null);
        ReplicaSet b = rs("b", 3, 3, "2025-01-01T00:01:00Z", null);
        ReplicaSet c = rs("c", 5, 5, "2025-01-01T00:02:00Z", null);
        assertThat(List.of(a, b, c).stream().sorted(ReplicaSetLists.BY_SIZE_NEWER).toList()).containsExactly(c, b, a);
        assertThat(List.of(a, b, c).stream().sorted(ReplicaSetLists.BY_SIZE_OLDER).toList()).containsExactly(c, a, b);
    }
}
