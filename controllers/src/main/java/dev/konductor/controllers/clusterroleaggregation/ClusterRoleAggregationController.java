package dev.konductor.controllers.clusterroleaggregation;

import dev.konductor.controllers.framework.Controller;
import dev.konductor.controllers.framework.ControllerContext;
import dev.konductor.controllers.framework.ControllerLoop;
import dev.konductor.controllers.framework.Handlers;
import dev.konductor.controllers.framework.Lister;
import dev.konductor.controllers.framework.Reconciler.Result;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBuilder;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.List;
import java.util.Optional;

/**
 * Upstream's clusterrole-aggregation-controller: keeps the rules of every ClusterRole that has an
 * {@code aggregationRule} (admin, edit, view, and any a user makes) equal to the rules of the
 * ClusterRoles its selectors pick. Any change to any ClusterRole may change what an aggregating
 * one gathers, so each change queues every aggregating role.
 */
public final class ClusterRoleAggregationController implements Controller {

    private KubernetesClient client;
    private Lister<ClusterRole> roles;
    private ControllerLoop loop;

    @Override
    public String name() {
        return "clusterrole-aggregation-controller";
    }

    @Override
    public void start(ControllerContext context) {
        client = context.client();
        roles = context.informers().lister(ClusterRole.class);
        loop = new ControllerLoop(name(), this::reconcile, context.settings().workers());
        context.informers().of(ClusterRole.class).addEventHandler(Handlers.onChange(changed -> enqueueAggregating()));
        loop.start(context.informers()::synced);
    }

    private void enqueueAggregating() {
        for (ClusterRole role : roles.list()) {
            if (role.getAggregationRule() != null) {
                loop.enqueue(role.getMetadata().getName());
            }
        }
    }

    Result reconcile(String name) {
        Optional<ClusterRole> current = roles.get(name);
        if (current.isEmpty() || current.get().getAggregationRule() == null) {
            return Result.done();
        }
        ClusterRole role = current.get();
        List<PolicyRule> wanted = AggregatedRules.of(role, roles.list());
        List<PolicyRule> have = role.getRules() == null ? List.of() : role.getRules();
        if (!wanted.equals(have)) {
            // a copy: the cached object is shared with every other reader of the informer
            client.rbac().clusterRoles().resource(new ClusterRoleBuilder(role).withRules(wanted).build()).update();
        }
        return Result.done();
    }

    @Override
    public void close() {
        if (loop != null) {
            loop.close();
        }
    }
}
