package dev.konductor.apiserver.admission;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.konductor.api.resource.ResourceType;
import dev.konductor.api.status.FieldError;
import dev.konductor.api.status.StatusException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;

/**
 * Hands out ClusterIPs from the service CIDR and NodePorts from their range, and refuses
 * conflicting requests with upstream's messages. What is in use is read from the existing
 * Services (the watch cache), plus what this allocator handed out that the cache may not show
 * yet.
 */
public final class ServiceAllocator implements Admission {

    private final long base;
    private final int size;
    private final String cidr;
    private final int portMin;
    private final int portMax;
    private final Supplier<List<JsonNode>> services;
    /** Handed out but perhaps not yet in the cache: value → when, forgotten after {@link #REMEMBER_NANOS}. */
    private final java.util.Map<Long, Long> recentIps = new java.util.HashMap<>();
    private final java.util.Map<Integer, Long> recentPorts = new java.util.HashMap<>();
    private static final long REMEMBER_NANOS = java.util.concurrent.TimeUnit.SECONDS.toNanos(5);

    public ServiceAllocator(String cidr, String nodePortRange, Supplier<List<JsonNode>> services) {
        this.cidr = cidr;
        String[] parts = cidr.split("/");
        int prefix = Integer.parseInt(parts[1]);
        this.base = toLong(parts[0]) & (0xFFFFFFFFL << (32 - prefix));
        this.size = 1 << (32 - prefix);
        String[] range = nodePortRange.split("-");
        this.portMin = Integer.parseInt(range[0]);
        this.portMax = Integer.parseInt(range[1]);
        this.services = services;
    }

    /** The first address of the range, the {@code kubernetes} Service's ClusterIP. */
    public String firstIp() {
        return toIp(base + 1);
    }

    /**
     * The kube-dns Service's ClusterIP: the tenth address of the range, as kubeadm picks it
     * (10.96.0.10 in the default range); null in a range too small to have one.
     */
    public String dnsIp() {
        return size > 12 ? toIp(base + 10) : null;
    }

    /** Whether a Service already holds the address as its ClusterIP. */
    public boolean ipTaken(String ip) {
        Set<Long> used = new HashSet<>();
        collectUsed(null, used, new HashSet<>());
        return used.contains(toLong(ip));
    }

    @Override
    public synchronized void admit(Operation operation, ResourceType type, ObjectNode obj, ObjectNode old,
                                   Request request) {
        if (!type.kind().equals("Service") || !type.group().isEmpty() || operation == Operation.DELETE) {
            return;
        }
        ObjectNode spec = obj.withObject("spec");
        String serviceType = spec.path("type").asText("ClusterIP");
        if (old != null) {
            keepAllocations(spec, old.path("spec"));
        }
        if (serviceType.equals("ExternalName")) {
            return;
        }
        List<FieldError> errors = new ArrayList<>();
        long now = System.nanoTime();
        recentIps.values().removeIf(at -> now - at > REMEMBER_NANOS);
        recentPorts.values().removeIf(at -> now - at > REMEMBER_NANOS);
        Set<Long> usedIps = new HashSet<>(recentIps.keySet());
        Set<Integer> usedPorts = new HashSet<>(recentPorts.keySet());
        collectUsed(obj, usedIps, usedPorts);
        if (old != null) {
            // what this Service already holds is its own, not a conflict
            JsonNode oldSpec = old.path("spec");
            if (!oldSpec.path("clusterIP").asText("").isEmpty() && !oldSpec.path("clusterIP").asText().equals("None")) {
                usedIps.remove(toLongOrMinus(oldSpec.path("clusterIP").asText()));
            }
            for (JsonNode port : oldSpec.path("ports")) {
                usedPorts.remove(port.path("nodePort").asInt());
            }
        }
        allocateIp(spec, usedIps, errors, request.dryRun());
        if (serviceType.equals("NodePort") || serviceType.equals("LoadBalancer")) {
            allocatePorts(spec, usedPorts, errors, request.dryRun());
        } else {
            for (JsonNode port : spec.path("ports")) {
                ((ObjectNode) port).remove("nodePort");
            }
        }
        if (!errors.isEmpty()) {
            throw StatusException.invalid("", "Service", obj.path("metadata").path("name").asText(), errors);
        }
    }

    private void keepAllocations(ObjectNode spec, JsonNode oldSpec) {
        if (spec.path("clusterIP").asText("").isEmpty() && oldSpec.has("clusterIP")) {
            spec.set("clusterIP", oldSpec.get("clusterIP"));
            if (oldSpec.has("clusterIPs")) {
                spec.set("clusterIPs", oldSpec.get("clusterIPs"));
            }
        }
        for (JsonNode port : spec.path("ports")) {
            if (port.hasNonNull("nodePort") && port.path("nodePort").asInt() != 0) {
                continue;
            }
            for (JsonNode oldPort : oldSpec.path("ports")) {
                if (oldPort.path("port").asInt() == port.path("port").asInt() && oldPort.has("nodePort")) {
                    ((ObjectNode) port).set("nodePort", oldPort.get("nodePort"));
                }
            }
        }
    }

    private void collectUsed(ObjectNode self, Set<Long> ips, Set<Integer> ports) {
        String selfKey = self == null ? null
                : self.path("metadata").path("namespace").asText() + "/" + self.path("metadata").path("name").asText();
        for (JsonNode svc : services.get()) {
            String key = svc.path("metadata").path("namespace").asText() + "/" + svc.path("metadata").path("name").asText();
            if (key.equals(selfKey)) {
                continue;
            }
            String ip = svc.path("spec").path("clusterIP").asText("");
            if (!ip.isEmpty() && !ip.equals("None")) {
                ips.add(toLong(ip));
            }
            for (JsonNode port : svc.path("spec").path("ports")) {
                if (port.path("nodePort").asInt() > 0) {
                    ports.add(port.path("nodePort").asInt());
                }
            }
        }
    }

    private void allocateIp(ObjectNode spec, Set<Long> used, List<FieldError> errors, boolean dryRun) {
        String requested = spec.path("clusterIP").asText("");
        if (requested.equals("None")) {
            spec.putArray("clusterIPs").add("None");
            return;
        }
        long ip;
        if (requested.isEmpty()) {
            ip = pickFree(used);
            if (ip < 0) {
                errors.add(FieldError.invalid("spec.clusterIPs", "", "failed to allocate IP: range is full"));
                return;
            }
        } else {
            ip = toLongOrMinus(requested);
            String field = "spec.clusterIPs";
            if (ip < 0 || ip <= base || ip >= base + size - 1) {
                errors.add(FieldError.invalid(field, List.of(requested).toString(), "failed to allocate IP " + requested
                        + ": provided IP is not in the valid range. The range of valid IPs is " + cidr));
                return;
            }
            if (used.contains(ip)) {
                errors.add(FieldError.invalid(field, List.of(requested).toString(), "failed to allocate IP " + requested
                        + ": provided IP is already allocated"));
                return;
            }
        }
        spec.put("clusterIP", toIp(ip));
        ArrayNode ips = spec.putArray("clusterIPs");
        ips.add(toIp(ip));
        if (!dryRun) {
            remember(recentIps, ip);
        }
    }

    private long pickFree(Set<Long> used) {
        // skip the network address, .1 (the kubernetes Service) is handed out explicitly, and broadcast
        int start = ThreadLocalRandom.current().nextInt(2, size - 1);
        for (int i = 0; i < size - 3; i++) {
            long candidate = base + 2 + ((start - 2 + i) % (size - 3));
            if (!used.contains(candidate)) {
                return candidate;
            }
        }
        return -1;
    }

    private void allocatePorts(ObjectNode spec, Set<Integer> used, List<FieldError> errors, boolean dryRun) {
        JsonNode ports = spec.path("ports");
        for (int i = 0; i < ports.size(); i++) {
            ObjectNode port = (ObjectNode) ports.get(i);
            int requested = port.path("nodePort").asInt(0);
            String field = "spec.ports[" + i + "].nodePort";
            if (requested != 0) {
                if (requested < portMin || requested > portMax) {
                    errors.add(FieldError.invalid(field, requested, "provided port is not in the valid range. "
                            + "The range of valid ports is " + portMin + "-" + portMax));
                } else if (used.contains(requested)) {
                    errors.add(FieldError.invalid(field, requested, "provided port is already allocated"));
                }
                used.add(requested);
                continue;
            }
            int span = portMax - portMin + 1;
            int start = ThreadLocalRandom.current().nextInt(span);
            int chosen = -1;
            for (int k = 0; k < span; k++) {
                int candidate = portMin + (start + k) % span;
                if (!used.contains(candidate)) {
                    chosen = candidate;
                    break;
                }
            }
            if (chosen < 0) {
                errors.add(FieldError.invalid(field, 0, "range is full"));
                continue;
            }
            used.add(chosen);
            port.put("nodePort", chosen);
            if (!dryRun) {
                remember(recentPorts, chosen);
            }
        }
    }

    /** The cache shows a new Service within milliseconds; this only bridges that gap. */
    private static <T> void remember(java.util.Map<T, Long> recent, T value) {
        recent.put(value, System.nanoTime());
    }

    private static long toLong(String ip) {
        long v = toLongOrMinus(ip);
        if (v < 0) {
            throw new IllegalArgumentException("not an IPv4 address: " + ip);
        }
        return v;
    }

    private static long toLongOrMinus(String ip) {
        if (!ip.matches("\\d{1,3}(\\.\\d{1,3}){3}")) {
            return -1;
        }
        try {
            byte[] b = InetAddress.getByName(ip).getAddress();
            return ((b[0] & 0xFFL) << 24) | ((b[1] & 0xFFL) << 16) | ((b[2] & 0xFFL) << 8) | (b[3] & 0xFFL);
        } catch (UnknownHostException e) {
            return -1;
        }
    }

    private static String toIp(long v) {
        return ((v >> 24) & 0xFF) + "." + ((v >> 16) & 0xFF) + "." + ((v >> 8) & 0xFF) + "." + (v & 0xFF);
    }
}
