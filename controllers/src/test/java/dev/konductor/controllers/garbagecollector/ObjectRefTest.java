package dev.konductor.controllers.garbagecollector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.konductor.controllers.framework.ApiDiscovery.ApiResource;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ObjectRefTest {

    @Test
    void keysRoundTripForNamespacedAndClusterScopedObjects() {
        ObjectRef pod = ObjectRef.of(new ApiResource("", "v1", "pods", "Pod", true, Set.of()), "ns", "p");
        ObjectRef node = ObjectRef.of(new ApiResource("", "v1", "nodes", "Node", false, Set.of()), "ignored", "n1");
        assertThat(pod.key()).isEqualTo("|pods|ns|p");
        assertThat(node.namespace()).as("a cluster-scoped object has no namespace").isEmpty();
        assertThat(ObjectRef.parse(pod.key())).isEqualTo(pod);
        assertThat(ObjectRef.parse(node.key())).isEqualTo(node);
        assertThat(ObjectRef.parse("apps|replicasets|default|web-1").groupResource()).isEqualTo("replicasets.apps");
    }

    @Test
    void foreignKeysAreRefused() {
        assertThatThrownBy(() -> ObjectRef.parse("default/web")).hasMessageContaining("not a garbage collector key");
    }
}
