package dev.konductor.apiserver.admission;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.konductor.api.meta.RandomIds;
import dev.konductor.api.resource.ResourceType;
import dev.konductor.api.status.StatusException;
import dev.konductor.apiserver.serviceaccount.TokenRequests;
import java.util.function.BiFunction;
import java.util.random.RandomGenerator;

/**
 * Upstream's ServiceAccount admission plugin for new pods: a pod without a service account runs
 * as {@code default}; the account must exist (the pod is refused otherwise); and unless the pod
 * or its account opts out with {@code automountServiceAccountToken: false}, every container and
 * init container gets the account's API credentials: the projected volume
 * {@code kube-api-access-XXXXX} (a bound token the kubelet refreshes, the cluster CA from the
 * {@code kube-root-ca.crt} ConfigMap, the pod's namespace) mounted read-only at
 * {@value #MOUNT_PATH}. Mirror pods are left alone.
 */
public final class ServiceAccountAdmission implements Admission {

    public static final String MOUNT_PATH = "/var/run/secrets/kubernetes.io/serviceaccount";
    public static final String VOLUME_PREFIX = "kube-api-access-";
    static final String MIRROR_ANNOTATION = "kubernetes.io/config.mirror";
    private static final String DEFAULT_ACCOUNT = "default";
    /** The controller makes a namespace's default account moments after the namespace: wait for it a while. */
    private static final int DEFAULT_ACCOUNT_ATTEMPTS = 10;

    private final BiFunction<String, String, JsonNode> accounts;
    private final RandomGenerator random;
    private final long retryMillis;

    /** @param accounts looks a service account up by namespace and name (consistent read), null if absent */
    public ServiceAccountAdmission(BiFunction<String, String, JsonNode> accounts) {
        this(accounts, RandomIds.THREAD_LOCAL, 150);
    }

    ServiceAccountAdmission(BiFunction<String, String, JsonNode> accounts, RandomGenerator random, long retryMillis) {
        this.accounts = accounts;
        this.random = random;
        this.retryMillis = retryMillis;
    }

    @Override
    public void admit(Operation operation, ResourceType type, ObjectNode obj, ObjectNode old, Request request) {
        if (operation != Operation.CREATE || !type.kind().equals("Pod") || !type.group().isEmpty()
                || obj.path("metadata").path("annotations").has(MIRROR_ANNOTATION)) {
            return;
        }
        ObjectNode spec = obj.withObject("spec");
        String name = spec.path("serviceAccountName").asText("");
        if (name.isEmpty()) {
            name = spec.path("serviceAccount").asText(DEFAULT_ACCOUNT);
            name = name.isEmpty() ? DEFAULT_ACCOUNT : name;
            spec.put("serviceAccountName", name);
        }
        // the deprecated field mirrors the real one, as upstream's defaulting keeps them in step
        spec.put("serviceAccount", name);
        String namespace = obj.path("metadata").path("namespace").asText();
        JsonNode account = lookUp(namespace, name);
        if (account == null) {
            throw StatusException.forbidden("", "pods", obj.path("metadata").path("name").asText(),
                    "error looking up service account " + namespace + "/" + name + ": serviceaccount \"" + name
                            + "\" not found");
        }
        if (automount(spec, account)) {
            mountToken(spec, VOLUME_PREFIX + suffix());
        }
    }

    private JsonNode lookUp(String namespace, String name) {
        int attempts = name.equals(DEFAULT_ACCOUNT) ? DEFAULT_ACCOUNT_ATTEMPTS : 1;
        for (int i = 0; i < attempts; i++) {
            JsonNode account = accounts.apply(namespace, name);
            if (account != null) {
                return account;
            }
            if (i + 1 < attempts) {
                try {
                    Thread.sleep(retryMillis);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return null;
                }
            }
        }
        return null;
    }

    /** The pod's own preference wins, then its account's; mounting is the default. */
    static boolean automount(JsonNode podSpec, JsonNode account) {
        JsonNode pod = podSpec.path("automountServiceAccountToken");
        if (pod.isBoolean()) {
            return pod.asBoolean();
        }
        JsonNode fromAccount = account.path("automountServiceAccountToken");
        return !fromAccount.isBoolean() || fromAccount.asBoolean();
    }

    /**
     * Mounts the token volume in every container and init container that has nothing mounted at
     * {@value #MOUNT_PATH} yet, adding the volume if any of them needed it. A pod that already
     * carries a {@code kube-api-access-} volume keeps it (and its name).
     */
    static void mountToken(ObjectNode spec, String newVolumeName) {
        String volumeName = newVolumeName;
        boolean hasVolume = false;
        for (JsonNode volume : spec.path("volumes")) {
            if (volume.path("name").asText("").startsWith(VOLUME_PREFIX)) {
                volumeName = volume.path("name").asText();
                hasVolume = true;
                break;
            }
        }
        boolean needed = false;
        for (String containers : new String[] {"initContainers", "containers"}) {
            for (JsonNode container : spec.path(containers)) {
                if (container instanceof ObjectNode c && !mountsAtTokenPath(c)) {
                    ObjectNode mount = c.withArray("volumeMounts").addObject();
                    mount.put("name", volumeName);
                    mount.put("readOnly", true);
                    mount.put("mountPath", MOUNT_PATH);
                    needed = true;
                }
            }
        }
        if (needed && !hasVolume) {
            tokenVolume(spec.withArray("volumes").addObject(), volumeName);
        }
    }

    private static boolean mountsAtTokenPath(JsonNode container) {
        for (JsonNode mount : container.path("volumeMounts")) {
            if (MOUNT_PATH.equals(mount.path("mountPath").asText())) {
                return true;
            }
        }
        return false;
    }

    /** Upstream's projected volume, field for field, so {@code kubectl get pod -o yaml} reads the same. */
    private static void tokenVolume(ObjectNode volume, String name) {
        volume.put("name", name);
        ObjectNode projected = volume.putObject("projected");
        ArrayNode sources = projected.putArray("sources");
        ObjectNode token = sources.addObject().putObject("serviceAccountToken");
        token.put("expirationSeconds", TokenRequests.PROJECTED_EXPIRATION_SECONDS);
        token.put("path", "token");
        ObjectNode configMap = sources.addObject().putObject("configMap");
        configMap.put("name", "kube-root-ca.crt");
        ObjectNode item = configMap.putArray("items").addObject();
        item.put("key", "ca.crt");
        item.put("path", "ca.crt");
        ObjectNode downward = sources.addObject().putObject("downwardAPI");
        ObjectNode file = downward.putArray("items").addObject();
        ObjectNode fieldRef = file.putObject("fieldRef");
        fieldRef.put("apiVersion", "v1");
        fieldRef.put("fieldPath", "metadata.namespace");
        file.put("path", "namespace");
        projected.put("defaultMode", 420);
    }

    private String suffix() {
        return RandomIds.nameSuffix(random);
    }
}
