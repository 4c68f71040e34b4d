package dev.konductor.apiserver.watchcache;

import java.util.function.Predicate;

/**
 * Which objects a list or watch wants: a namespace (null for all), an optional exact
 * {@code spec.nodeName} (served from an index, the kubelet's query), and any further predicate
 * (label and field selectors).
 */
public record WatchFilter(String namespace, String nodeName, Predicate<CachedObject> predicate) {

    public static final WatchFilter ALL = new WatchFilter(null, null, o -> true);

    public boolean matches(CachedObject o) {
        if (o == null) {
            return false;
        }
        if (namespace != null && !namespace.equals(o.namespace())) {
            return false;
        }
        if (nodeName != null && !nodeName.equals(o.nodeName())) {
            return false;
        }
        return predicate.test(o);
    }
}
