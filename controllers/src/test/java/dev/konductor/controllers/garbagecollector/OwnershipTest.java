package dev.konductor.controllers.garbagecollector;

import static dev.konductor.controllers.garbagecollector.Ownership.OwnerState.DANGLING;
import static dev.konductor.controllers.garbagecollector.Ownership.OwnerState.SOLID;
import static dev.konductor.controllers.garbagecollector.Ownership.OwnerState.WAITING;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.konductor.controllers.garbagecollector.Ownership.Decision;
import dev.konductor.controllers.garbagecollector.Ownership.Delete;
import dev.konductor.controllers.garbagecollector.Ownership.Keep;
import dev.konductor.controllers.garbagecollector.Ownership.OwnerState;
import dev.konductor.controllers.garbagecollector.Ownership.RemoveOwnerReferences;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/** The whole verdict table of {@link Ownership#decide}. */
class OwnershipTest {

    static Stream<Arguments> table() {
        return Stream.of(
                // owners (uid a, b, ...) → states, has dependents, own finalizers, verdict
                Arguments.of(List.of(SOLID), false, List.of(), new Keep()),
                Arguments.of(List.of(SOLID, SOLID), true, List.of(), new Keep()),
                Arguments.of(List.of(SOLID, DANGLING), false, List.of(), new RemoveOwnerReferences(Set.of("b"))),
                Arguments.of(List.of(WAITING, SOLID), true, List.of(), new RemoveOwnerReferences(Set.of("a"))),
                Arguments.of(List.of(SOLID, DANGLING, WAITING), false, List.of(),
                        new RemoveOwnerReferences(Set.of("b", "c"))),
                Arguments.of(List.of(DANGLING), false, List.of(), new Delete("Background")),
                Arguments.of(List.of(DANGLING, DANGLING), true, List.of(), new Delete("Background")),
                Arguments.of(List.of(DANGLING), false, List.of("orphan"), new Delete("Orphan")),
                Arguments.of(List.of(DANGLING), false, List.of("foregroundDeletion"), new Delete("Foreground")),
                Arguments.of(List.of(WAITING), true, List.of(), new Delete("Foreground")),
                Arguments.of(List.of(WAITING, DANGLING), true, List.of("orphan"), new Delete("Foreground")),
                Arguments.of(List.of(WAITING), false, List.of(), new Delete("Background")),
                Arguments.of(List.of(WAITING), false, List.of("orphan"), new Delete("Orphan")));
    }

    @ParameterizedTest
    @MethodSource("table")
    void verdict(List<OwnerState> owners, boolean hasDependents, List<String> finalizers, Decision expected) {
        List<OwnerReference> refs = new ArrayList<>();
        Map<String, OwnerState> states = new LinkedHashMap<>();
        for (int i = 0; i < owners.size(); i++) {
            String uid = String.valueOf((char) ('a' + i));
            refs.add(new OwnerReferenceBuilder().withApiVersion("v1").withKind("ConfigMap").withName("o" + i)
                    .withUid(uid).build());
            states.put(uid, owners.get(i));
        }
        assertThat(Ownership.decide(refs, states, hasDependents, finalizers)).isEqualTo(expected);
    }

    @Test
    void anObjectWithoutOwnersIsNoDependent() {
        assertThat(Ownership.decide(List.of(), Map.of(), true, List.of())).isEqualTo(new Keep());
        assertThat(Ownership.decide(null, Map.of(), false, null)).isEqualTo(new Keep());
    }

    @Test
    void everyOwnerNeedsAState() {
        List<OwnerReference> refs = List.of(new OwnerReferenceBuilder().withUid("x").build());
        assertThatThrownBy(() -> Ownership.decide(refs, Map.of(), false, List.of()))
                .hasMessageContaining("no state for owner x");
    }
}
