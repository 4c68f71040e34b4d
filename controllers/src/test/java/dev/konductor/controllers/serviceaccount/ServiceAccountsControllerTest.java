package dev.konductor.controllers.serviceaccount;

import static org.assertj.core.api.Assertions.assertThat;

import dev.konductor.controllers.framework.Reconciler.Result;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Namespaces that get no account (the controller has no client here: any write would fail the test). */
class ServiceAccountsControllerTest {

    private final ServiceAccountsController controller = new ServiceAccountsController();

    @Test
    void aTerminatingNamespaceGetsNoAccount() {
        Namespace terminating = new NamespaceBuilder().withNewMetadata().withName("x")
                .withDeletionTimestamp("2025-01-01T00:00:00Z").endMetadata().withNewStatus().withPhase("Terminating")
                .endStatus().build();
        assertThat(controller.reconcile("x", Optional.of(terminating), name -> false)).isEqualTo(Result.done());
    }

    @Test
    void aVanishedNamespaceGetsNoAccount() {
        assertThat(controller.reconcile("x", Optional.empty(), name -> false)).isEqualTo(Result.done());
    }

    @Test
    void aNamespaceThatHasItsAccountNeedsNothing() {
        Namespace active = new NamespaceBuilder().withNewMetadata().withName("x").endMetadata().withNewStatus()
                .withPhase("Active").endStatus().build();
        assertThat(controller.reconcile("x", Optional.of(active), name -> name.equals("default")))
                .isEqualTo(Result.done());
    }
}
