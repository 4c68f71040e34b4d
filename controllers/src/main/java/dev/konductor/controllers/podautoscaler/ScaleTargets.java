package dev.konductor.controllers.podautoscaler;

import io.fabric8.kubernetes.api.model.autoscaling.v1.Scale;
import io.fabric8.kubernetes.api.model.autoscaling.v1.ScaleBuilder;
import io.fabric8.kubernetes.api.model.autoscaling.v2.CrossVersionObjectReference;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.util.Map;

/**
 * The /scale subresource of whatever an HPA targets, as upstream's scale client reads and writes
 * it. An interface so that the autoscaler's tests can stand in for the API.
 */
interface ScaleTargets {

    /**
     * The target's current scale.
     *
     * @throws ScaleException if it cannot be read (the message says why, as the API server did)
     */
    Scale get(String namespace, CrossVersionObjectReference target) throws ScaleException;

    /** Sets the target's replicas, starting from {@code current} (whose resourceVersion guards the write). */
    void update(String namespace, CrossVersionObjectReference target, Scale current, int replicas) throws ScaleException;

    final class ScaleException extends Exception {
        ScaleException(String message) {
            super(message);
        }
    }

    /** Through the API server: the built-in scalable kinds by name, anything else by discovery. */
    static ScaleTargets of(KubernetesClient client) {
        return new ScaleTargets() {
            @Override
            public Scale get(String namespace, CrossVersionObjectReference target) throws ScaleException {
                try {
                    Scale scale = resource(client, namespace, target).scale();
                    if (scale == null) {
                        throw new ScaleException(notFound(target));
                    }
                    return scale;
                } catch (KubernetesClientException e) {
                    throw new ScaleException(message(e, target));
                }
            }

            @Override
            public void update(String namespace, CrossVersionObjectReference target, Scale current, int replicas)
                    throws ScaleException {
                Scale desired = new ScaleBuilder(current).editOrNewSpec().withReplicas(replicas).endSpec().build();
                try {
                    resource(client, namespace, target).scale(desired);
                } catch (KubernetesClientException e) {
                    throw new ScaleException(message(e, target));
                }
            }
        };
    }

    private static Resource<?> resource(KubernetesClient client, String namespace, CrossVersionObjectReference target) {
        ResourceDefinitionContext known = Known.CONTEXTS.get(target.getApiVersion() + "/" + target.getKind());
        if (known != null) {
            return client.genericKubernetesResources(known).inNamespace(namespace).withName(target.getName());
        }
        return client.genericKubernetesResources(target.getApiVersion(), target.getKind()).inNamespace(namespace)
                .withName(target.getName());
    }

    private static String message(KubernetesClientException e, CrossVersionObjectReference target) {
        if (e.getCode() == 404) {
            return notFound(target);
        }
        if (e.getStatus() != null && e.getStatus().getMessage() != null) {
            return e.getStatus().getMessage();
        }
        return e.getMessage();
    }

    private static String notFound(CrossVersionObjectReference target) {
        ResourceDefinitionContext known = Known.CONTEXTS.get(target.getApiVersion() + "/" + target.getKind());
        String resource = known == null ? target.getKind().toLowerCase(java.util.Locale.ROOT)
                : known.getPlural() + (known.getGroup().isEmpty() ? "" : "." + known.getGroup());
        return resource + " \"" + target.getName() + "\" not found";
    }

    /** The built-in kinds with a scale subresource. */
    final class Known {
        static final Map<String, ResourceDefinitionContext> CONTEXTS = Map.of(
                "apps/v1/Deployment", context("apps", "v1", "deployments", "Deployment"),
                "apps/v1/ReplicaSet", context("apps", "v1", "replicasets", "ReplicaSet"),
                "apps/v1/StatefulSet", context("apps", "v1", "statefulsets", "StatefulSet"),
                "v1/ReplicationController", context("", "v1", "replicationcontrollers", "ReplicationController"));

        private Known() {
        }

        private static ResourceDefinitionContext context(String group, String version, String plural, String kind) {
            return new ResourceDefinitionContext.Builder().withGroup(group).withVersion(version).withPlural(plural)
                    .withKind(kind).withNamespaced(true).build();
        }
    }
}
