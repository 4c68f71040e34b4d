package dev.konductor.kubelet.env;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SequencedMap;
import java.util.TreeMap;

/**
 * The Service environment variables a pod's containers get, by upstream's rules: the
 * {@code kubernetes} Service of the {@code default} namespace always (it is what in-cluster
 * clients read), the other Services of the pod's own namespace only with
 * {@code enableServiceLinks}; Services without a cluster IP (headless, ExternalName) never. Each
 * gives {@code NAME_SERVICE_HOST}, {@code NAME_SERVICE_PORT} (first port),
 * {@code NAME_SERVICE_PORT_PORTNAME} per named port, and Docker link variables
 * ({@code NAME_PORT}, {@code NAME_PORT_443_TCP}, {@code ..._PROTO}, {@code ..._PORT},
 * {@code ..._ADDR}). Pure.
 */
public final class ServiceEnv {

    static final String MASTER_SERVICE = "kubernetes";
    static final String MASTER_NAMESPACE = "default";

    private ServiceEnv() {
    }

    /**
     * @param podNamespace       the pod's namespace
     * @param enableServiceLinks the pod's {@code spec.enableServiceLinks}
     * @param namespaceServices  the Services of the pod's namespace
     * @param defaultServices    the Services of the {@code default} namespace
     */
    public static SequencedMap<String, String> forPod(String podNamespace, boolean enableServiceLinks,
                                                      List<Service> namespaceServices, List<Service> defaultServices) {
        Map<String, Service> chosen = new TreeMap<>();
        for (Service service : defaultServices) {
            if (MASTER_SERVICE.equals(service.getMetadata().getName()) && hasClusterIp(service)) {
                chosen.put(MASTER_SERVICE, service);
            }
        }
        if (enableServiceLinks) {
            for (Service service : namespaceServices) {
                String name = service.getMetadata().getName();
                boolean master = MASTER_NAMESPACE.equals(podNamespace) && MASTER_SERVICE.equals(name);
                if (hasClusterIp(service) && !master) {
                    chosen.put(name, service);
                }
            }
        }
        return fromServices(chosen.values().stream().sorted(Comparator.comparing(s -> s.getMetadata().getName())).toList());
    }

    static SequencedMap<String, String> fromServices(List<Service> services) {
        SequencedMap<String, String> env = new LinkedHashMap<>();
        for (Service service : services) {
            if (!hasClusterIp(service) || service.getSpec().getPorts() == null || service.getSpec().getPorts().isEmpty()) {
                continue;
            }
            String prefix = variableName(service.getMetadata().getName());
            String clusterIp = service.getSpec().getClusterIP();
            List<ServicePort> ports = service.getSpec().getPorts();
            env.put(prefix + "_SERVICE_HOST", clusterIp);
            env.put(prefix + "_SERVICE_PORT", Integer.toString(ports.getFirst().getPort()));
            for (ServicePort port : ports) {
                if (port.getName() != null && !port.getName().isEmpty()) {
                    env.put(prefix + "_SERVICE_PORT_" + variableName(port.getName()), Integer.toString(port.getPort()));
                }
            }
            linkVariables(prefix, clusterIp, ports, env);
        }
        return env;
    }

    /** Docker's link variables; the first port also gives the bare {@code NAME_PORT}. */
    private static void linkVariables(String prefix, String clusterIp, List<ServicePort> ports, Map<String, String> env) {
        for (int i = 0; i < ports.size(); i++) {
            ServicePort port = ports.get(i);
            String protocol = port.getProtocol() == null || port.getProtocol().isEmpty() ? "TCP" : port.getProtocol();
            String lower = protocol.toLowerCase(Locale.ROOT);
            String hostPort = (clusterIp.contains(":") ? "[" + clusterIp + "]" : clusterIp) + ":" + port.getPort();
            String url = lower + "://" + hostPort;
            if (i == 0) {
                env.put(prefix + "_PORT", url);
            }
            String portPrefix = prefix + "_PORT_" + port.getPort() + "_" + protocol.toUpperCase(Locale.ROOT);
            env.put(portPrefix, url);
            env.put(portPrefix + "_PROTO", lower);
            env.put(portPrefix + "_PORT", Integer.toString(port.getPort()));
            env.put(portPrefix + "_ADDR", clusterIp);
        }
    }

    static boolean hasClusterIp(Service service) {
        String ip = service.getSpec() == null ? null : service.getSpec().getClusterIP();
        return ip != null && !ip.isEmpty() && !"None".equals(ip);
    }

    static String variableName(String name) {
        return name.replace('-', '_').toUpperCase(Locale.ROOT);
    }
}
