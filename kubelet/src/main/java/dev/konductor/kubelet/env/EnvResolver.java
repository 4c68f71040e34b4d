package dev.konductor.kubelet.env;

import dev.konductor.kubelet.downward.ContainerResources;
import dev.konductor.kubelet.downward.FieldPaths;
import dev.konductor.kubelet.objects.ObjectSource;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarSource;
import io.fabric8.kubernetes.api.model.ObjectFieldSelector;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SequencedMap;
import java.util.TreeMap;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

/**
 * A container's environment, as upstream's kubelet makes it (makeEnvironmentVariables):
 * {@code envFrom} first (ConfigMap data, Secret data, with the prefix; keys that are no valid
 * variable names are skipped with an InvalidEnvironmentVariableNames warning), then {@code env}
 * in order, overriding ({@code value} with {@code $(VAR)} expanded against what came before and
 * the service variables; {@code valueFrom} fieldRef, resourceFieldRef, configMapKeyRef,
 * secretKeyRef), then the Service variables nothing overrode. A missing object or key that is
 * not optional fails the whole environment with upstream's message: the container then waits in
 * CreateContainerConfigError and the kubelet tries again.
 */
public final class EnvResolver {

    public static final String INVALID_NAMES_REASON = "InvalidEnvironmentVariableNames";
    private static final Pattern ENV_VAR_NAME = Pattern.compile("[-._a-zA-Z][-._a-zA-Z0-9]*");

    public sealed interface Result permits Resolved, Failed {
    }

    /** The environment, in order, and warnings to record as events on the pod. */
    public record Resolved(SequencedMap<String, String> env, List<Warning> warnings) implements Result {
        public Resolved {
            env = Collections.unmodifiableSequencedMap(new LinkedHashMap<>(env));
            warnings = List.copyOf(warnings);
        }
    }

    /** Why the container cannot be configured yet, in upstream's words. */
    public record Failed(String message) implements Result {
    }

    public record Warning(String reason, String message) {
    }

    private final ObjectSource objects;
    private final List<String> hostIps;

    /** @param hostIps the node's addresses ({@code status.hostIP(s)}) */
    public EnvResolver(ObjectSource objects, List<String> hostIps) {
        this.objects = objects;
        this.hostIps = List.copyOf(hostIps);
    }

    /** @param podIps the sandbox's addresses ({@code status.podIP(s)}); empty before it has any */
    public Result resolve(Pod pod, Container container, List<String> podIps) {
        try {
            return resolveOrThrow(pod, container, podIps);
        } catch (ConfigError e) {
            return new Failed(e.getMessage());
        }
    }

    private Result resolveOrThrow(Pod pod, Container container, List<String> podIps) throws ConfigError {
        String namespace = pod.getMetadata().getNamespace();
        boolean serviceLinks = !Boolean.FALSE.equals(pod.getSpec().getEnableServiceLinks());
        SequencedMap<String, String> serviceEnv;
        try {
            serviceEnv = ServiceEnv.forPod(namespace, serviceLinks, objects.services(namespace),
                    objects.services(ServiceEnv.MASTER_NAMESPACE));
        } catch (ObjectSource.Unavailable e) {
            throw new ConfigError(e.getMessage());
        }
        Lookups lookups = new Lookups(namespace);
        List<Warning> warnings = new ArrayList<>();
        SequencedMap<String, String> env = new LinkedHashMap<>();
        for (EnvFromSource from : Optional.ofNullable(container.getEnvFrom()).orElse(List.of())) {
            addEnvFrom(from, lookups, env, warnings, namespace);
        }
        UnaryOperator<String> mapping = Expansion.mappingFor(env, serviceEnv);
        for (EnvVar variable : Optional.ofNullable(container.getEnv()).orElse(List.of())) {
            String value = variable.getValue() == null ? "" : variable.getValue();
            if (!value.isEmpty()) {
                value = Expansion.expand(value, mapping);
            } else if (variable.getValueFrom() != null) {
                Optional<String> resolved = valueFrom(variable.getValueFrom(), pod, container, podIps, lookups);
                if (resolved.isEmpty()) {
                    continue; // an optional reference that does not resolve: the variable is left out
                }
                value = resolved.get();
            }
            env.put(variable.getName(), value);
        }
        serviceEnv.forEach(env::putIfAbsent);
        return new Resolved(env, warnings);
    }

    private void addEnvFrom(EnvFromSource from, Lookups lookups, Map<String, String> env, List<Warning> warnings,
                            String namespace) throws ConfigError {
        String prefix = from.getPrefix() == null ? "" : from.getPrefix();
        Map<String, String> values;
        String what;
        String name;
        if (from.getConfigMapRef() != null) {
            name = from.getConfigMapRef().getName();
            what = "configMap";
            Optional<ConfigMap> map = lookups.configMap(name, Boolean.TRUE.equals(from.getConfigMapRef().getOptional()));
            values = map.map(ConfigMap::getData).orElse(null);
        } else if (from.getSecretRef() != null) {
            name = from.getSecretRef().getName();
            what = "secret";
            Optional<Secret> secret = lookups.secret(name, Boolean.TRUE.equals(from.getSecretRef().getOptional()));
            values = secret.map(s -> decoded(s.getData())).orElse(null);
        } else {
            return;
        }
        if (values == null) {
            return;
        }
        List<String> invalid = new ArrayList<>();
        for (Map.Entry<String, String> entry : new TreeMap<>(values).entrySet()) {
            String key = prefix + entry.getKey();
            if (!ENV_VAR_NAME.matcher(key).matches()) {
                invalid.add(key);
                continue;
            }
            env.put(key, entry.getValue());
        }
        if (!invalid.isEmpty()) {
            warnings.add(new Warning(INVALID_NAMES_REASON, "Keys [" + String.join(", ", invalid) + "] from the EnvFrom "
                    + what + " " + namespace + "/" + name
                    + " were skipped since they are considered invalid environment variable names."));
        }
    }

    private Optional<String> valueFrom(EnvVarSource source, Pod pod, Container container, List<String> podIps,
                                       Lookups lookups) throws ConfigError {
        String namespace = pod.getMetadata().getNamespace();
        if (source.getFieldRef() != null) {
            return Optional.of(fieldValue(source.getFieldRef(), pod, podIps));
        }
        if (source.getResourceFieldRef() != null) {
            try {
                return Optional.of(ContainerResources.value(source.getResourceFieldRef(), pod, container,
                        objects.nodeAllocatable()));
            } catch (IllegalArgumentException e) {
                throw new ConfigError(e.getMessage());
            }
        }
        if (source.getConfigMapKeyRef() != null) {
            var ref = source.getConfigMapKeyRef();
            boolean optional = Boolean.TRUE.equals(ref.getOptional());
            Optional<ConfigMap> map = lookups.configMap(ref.getName(), optional);
            if (map.isEmpty()) {
                return Optional.empty();
            }
            String value = map.get().getData() == null ? null : map.get().getData().get(ref.getKey());
            if (value == null && !optional) {
                throw new ConfigError("couldn't find key " + ref.getKey() + " in ConfigMap " + namespace + "/" + ref.getName());
            }
            return Optional.ofNullable(value);
        }
        if (source.getSecretKeyRef() != null) {
            var ref = source.getSecretKeyRef();
            boolean optional = Boolean.TRUE.equals(ref.getOptional());
            Optional<Secret> secret = lookups.secret(ref.getName(), optional);
            if (secret.isEmpty()) {
                return Optional.empty();
            }
            String value = decoded(secret.get().getData()).get(ref.getKey());
            if (value == null && !optional) {
                throw new ConfigError("couldn't find key " + ref.getKey() + " in Secret " + namespace + "/" + ref.getName());
            }
            return Optional.ofNullable(value);
        }
        return Optional.of("");
    }

    private String fieldValue(ObjectFieldSelector ref, Pod pod, List<String> podIps) throws ConfigError {
        String version = ref.getApiVersion() == null || ref.getApiVersion().isEmpty() ? "v1" : ref.getApiVersion();
        if (!version.equals("v1")) {
            throw new ConfigError("unsupported pod version: " + version);
        }
        String path = ref.getFieldPath();
        return switch (path) {
            case "spec.nodeName" -> nullToEmpty(pod.getSpec().getNodeName());
            case "spec.serviceAccountName" -> nullToEmpty(pod.getSpec().getServiceAccountName());
            case "status.hostIP" -> hostIps.isEmpty() ? "" : hostIps.getFirst();
            case "status.hostIPs" -> String.join(",", hostIps);
            case "status.podIP" -> podIps.isEmpty() ? "" : podIps.getFirst();
            case "status.podIPs" -> String.join(",", podIps);
            default -> {
                try {
                    yield FieldPaths.extract(pod.getMetadata(), path);
                } catch (IllegalArgumentException e) {
                    throw new ConfigError(e.getMessage());
                }
            }
        };
    }

    /** Secret data is base64 in the API; containers get the bytes (as UTF-8 text). */
    static Map<String, String> decoded(Map<String, String> data) {
        Map<String, String> out = new LinkedHashMap<>();
        if (data != null) {
            data.forEach((k, v) -> out.put(k, new String(Base64.getDecoder().decode(v == null ? "" : v), StandardCharsets.UTF_8)));
        }
        return out;
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }

    /** The ConfigMaps and Secrets one environment reads, each fetched once (as upstream caches them per call). */
    private final class Lookups {
        private final String namespace;
        private final Map<String, Optional<ConfigMap>> configMaps = new HashMap<>();
        private final Map<String, Optional<Secret>> secrets = new HashMap<>();

        Lookups(String namespace) {
            this.namespace = namespace;
        }

        /** Empty only when the map is missing and {@code optional}. */
        Optional<ConfigMap> configMap(String name, boolean optional) throws ConfigError {
            Optional<ConfigMap> found = configMaps.get(name);
            if (found == null) {
                try {
                    found = objects.configMap(namespace, name);
                } catch (ObjectSource.Unavailable e) {
                    throw new ConfigError(e.getMessage());
                }
                configMaps.put(name, found);
            }
            if (found.isEmpty() && !optional) {
                throw new ConfigError("configmap \"" + name + "\" not found");
            }
            return found;
        }

        Optional<Secret> secret(String name, boolean optional) throws ConfigError {
            Optional<Secret> found = secrets.get(name);
            if (found == null) {
                try {
                    found = objects.secret(namespace, name);
                } catch (ObjectSource.Unavailable e) {
                    throw new ConfigError(e.getMessage());
                }
                secrets.put(name, found);
            }
            if (found.isEmpty() && !optional) {
                throw new ConfigError("secret \"" + name + "\" not found");
            }
            return found;
        }
    }

    /** Ends the resolution with a message for the container's waiting state. */
    private static final class ConfigError extends Exception {
        ConfigError(String message) {
            super(message);
        }
    }
}
