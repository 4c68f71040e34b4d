package dev.konductor.proxy.ingress;

import io.fabric8.kubernetes.api.model.networking.v1.HTTPIngressPath;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressBackend;
import io.fabric8.kubernetes.api.model.networking.v1.IngressRule;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;

/**
 * The routing rules of a set of Ingresses, merged, immutable: which backend a request's host
 * and path go to. Built afresh whenever an Ingress (or what a backend resolves to) changes, and
 * read by every request without locks.
 *
 * <p>Matching follows the Ingress specification:
 * <ul>
 *   <li>hosts: an exact host beats a wildcard ({@code *.example.com} covers exactly one more
 *       label: {@code a.example.com}, not {@code example.com} nor {@code a.b.example.com}); rules
 *       without a host match every host. If the most specific host's paths do not match, the
 *       less specific ones are tried (wildcard, then host-less), as k3s's Traefik does;</li>
 *   <li>paths: {@code Exact} matches the path as written; {@code Prefix} matches whole path
 *       elements ({@code /foo} matches {@code /foo}, {@code /foo/} and {@code /foo/bar}, not
 *       {@code /foobar}; a trailing slash in the rule is ignored); {@code ImplementationSpecific}
 *       is treated as {@code Prefix}. The longest matching path wins; on a tie, {@code Exact}
 *       beats {@code Prefix}; then the older Ingress;</li>
 *   <li>nothing matched: the {@code defaultBackend} of the oldest Ingress that has a rule for the
 *       request's host and a default backend, else that of the oldest Ingress with one, else
 *       nothing (the caller answers 404).</li>
 * </ul>
 *
 * @param <T> what a backend resolves to: the proxy's live targets, or anything a test likes
 */
final class RouteTable<T> {

    enum PathKind { EXACT, PREFIX }

    /** One path rule under one host. {@code length} orders rules: longer first. */
    record PathRoute<T>(String path, PathKind kind, T target) {

        int length() {
            return path.length();
        }

        boolean matches(String requestPath) {
            return switch (kind) {
                case EXACT -> requestPath.equals(path);
                // path is normalised without a trailing slash; "" is the rule "/"
                case PREFIX -> path.isEmpty() || requestPath.equals(path)
                        || (requestPath.startsWith(path) && requestPath.charAt(path.length()) == '/');
            };
        }
    }

    private record HostRoutes<T>(List<PathRoute<T>> paths, T fallback) {

        Optional<T> match(String requestPath) {
            for (PathRoute<T> route : paths) {
                if (route.matches(requestPath)) {
                    return Optional.of(route.target());
                }
            }
            return Optional.empty();
        }
    }

    private static final Comparator<PathRoute<?>> PRECEDENCE = Comparator
            .comparingInt((PathRoute<?> r) -> -r.length())
            .thenComparing(r -> r.kind() == PathKind.EXACT ? 0 : 1);

    private final Map<String, HostRoutes<T>> exactHosts;
    private final Map<String, HostRoutes<T>> wildcardHosts;
    private final HostRoutes<T> anyHost;
    private final T defaultBackend;

    private RouteTable(Map<String, HostRoutes<T>> exactHosts, Map<String, HostRoutes<T>> wildcardHosts,
                       HostRoutes<T> anyHost, T defaultBackend) {
        this.exactHosts = exactHosts;
        this.wildcardHosts = wildcardHosts;
        this.anyHost = anyHost;
        this.defaultBackend = defaultBackend;
    }

    static <T> RouteTable<T> empty() {
        return new RouteTable<>(Map.of(), Map.of(), new HostRoutes<>(List.of(), null), null);
    }

    /**
     * The table of {@code ingresses} (which must all be served here), oldest first on conflicts;
     * {@code resolve} turns an Ingress's namespace and one of its backends into a target.
     */
    static <T> RouteTable<T> build(List<Ingress> ingresses, BiFunction<String, IngressBackend, T> resolve) {
        List<Ingress> oldestFirst = new ArrayList<>(ingresses);
        oldestFirst.sort(Comparator.comparing((Ingress i) -> String.valueOf(i.getMetadata().getCreationTimestamp()))
                .thenComparing(i -> i.getMetadata().getNamespace() + "/" + i.getMetadata().getName()));

        Map<String, List<PathRoute<T>>> paths = new LinkedHashMap<>();
        Map<String, T> fallbacks = new HashMap<>();
        T globalDefault = null;
        for (Ingress ingress : oldestFirst) {
            if (ingress.getSpec() == null) {
                continue;
            }
            String namespace = ingress.getMetadata().getNamespace();
            IngressBackend defaultSpec = ingress.getSpec().getDefaultBackend();
            T ingressDefault = defaultSpec == null ? null : resolve.apply(namespace, defaultSpec);
            if (globalDefault == null) {
                globalDefault = ingressDefault;
            }
            for (IngressRule rule : nullToEmpty(ingress.getSpec().getRules())) {
                String host = rule.getHost() == null ? "" : rule.getHost().toLowerCase(Locale.ROOT);
                List<PathRoute<T>> hostPaths = paths.computeIfAbsent(host, h -> new ArrayList<>());
                if (ingressDefault != null) {
                    fallbacks.putIfAbsent(host, ingressDefault);
                }
                if (rule.getHttp() == null) {
                    continue;
                }
                for (HTTPIngressPath path : nullToEmpty(rule.getHttp().getPaths())) {
                    if (path.getBackend() == null) {
                        continue;
                    }
                    hostPaths.add(pathRoute(path, resolve.apply(namespace, path.getBackend())));
                }
            }
        }

        Map<String, HostRoutes<T>> exact = new HashMap<>();
        Map<String, HostRoutes<T>> wildcard = new HashMap<>();
        HostRoutes<T> any = new HostRoutes<>(List.of(), null);
        for (Map.Entry<String, List<PathRoute<T>>> entry : paths.entrySet()) {
            List<PathRoute<T>> sorted = new ArrayList<>(entry.getValue());
            sorted.sort(PRECEDENCE); // stable: among equals, the older Ingress stays first
            HostRoutes<T> routes = new HostRoutes<>(List.copyOf(sorted), fallbacks.get(entry.getKey()));
            String host = entry.getKey();
            if (host.isEmpty()) {
                any = routes;
            } else if (host.startsWith("*.")) {
                wildcard.put(host.substring(2), routes);
            } else {
                exact.put(host, routes);
            }
        }
        return new RouteTable<>(Map.copyOf(exact), Map.copyOf(wildcard), any, globalDefault);
    }

    private static <T> PathRoute<T> pathRoute(HTTPIngressPath path, T target) {
        String value = path.getPath() == null || path.getPath().isEmpty() ? "/" : path.getPath();
        if ("Exact".equals(path.getPathType())) {
            return new PathRoute<>(value, PathKind.EXACT, target);
        }
        // Prefix and ImplementationSpecific: compare whole elements, trailing slash ignored
        String normalised = value;
        while (normalised.endsWith("/")) {
            normalised = normalised.substring(0, normalised.length() - 1);
        }
        return new PathRoute<>(normalised, PathKind.PREFIX, target);
    }

    /**
     * The target for a request to {@code hostHeader} (as sent: may carry a port, any case) and
     * {@code path} (without the query), or empty when nothing matches and there is no default.
     */
    Optional<T> route(String hostHeader, String path) {
        String host = hostName(hostHeader);
        String requestPath = path == null || path.isEmpty() ? "/" : path;
        List<HostRoutes<T>> candidates = new ArrayList<>(3);
        HostRoutes<T> exact = exactHosts.get(host);
        if (exact != null) {
            candidates.add(exact);
        }
        int dot = host.indexOf('.');
        if (dot > 0) {
            HostRoutes<T> wildcard = wildcardHosts.get(host.substring(dot + 1));
            if (wildcard != null) {
                candidates.add(wildcard);
            }
        }
        candidates.add(anyHost);
        for (HostRoutes<T> routes : candidates) {
            Optional<T> match = routes.match(requestPath);
            if (match.isPresent()) {
                return match;
            }
        }
        for (HostRoutes<T> routes : candidates) {
            if (routes.fallback() != null) {
                return Optional.of(routes.fallback());
            }
        }
        return Optional.ofNullable(defaultBackend);
    }

    /** The host of a Host header: lower case, without port, brackets or a trailing dot. */
    static String hostName(String hostHeader) {
        if (hostHeader == null) {
            return "";
        }
        String host = hostHeader.trim().toLowerCase(Locale.ROOT);
        if (host.startsWith("[")) {
            int close = host.indexOf(']');
            return close < 0 ? host : host.substring(1, close);
        }
        int colon = host.indexOf(':');
        if (colon >= 0 && host.indexOf(':', colon + 1) < 0) {
            host = host.substring(0, colon);
        }
        while (host.endsWith(".")) {
            host = host.substring(0, host.length() - 1);
        }
        return host;
    }

    private static <E> List<E> nullToEmpty(List<E> list) {
        return list == null ? List.of() : list;
    }
}
