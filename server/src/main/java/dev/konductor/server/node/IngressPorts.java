package dev.konductor.server.node;

import dev.konductor.proxy.ingress.IngressSettings;

/**
 * Where a node's built-in Ingress controller listens, as ingress-nginx's {@code --http-port} and
 * {@code --https-port}: upstream's 80 and 443 by default (8080 and 8443 when not root), another
 * pair when those belong to something else on the machine.
 *
 * @param http  the HTTP port; 0 picks a free one
 * @param https the HTTPS port; 0 picks a free one, -1 serves no HTTPS
 */
public record IngressPorts(int http, int https) {

    public IngressPorts {
        if (http < 0 || http > 65535) {
            throw new IllegalArgumentException("ingress HTTP port must be between 0 and 65535: " + http);
        }
        if (https < -1 || https > 65535) {
            throw new IllegalArgumentException("ingress HTTPS port must be between -1 (none) and 65535: " + https);
        }
    }

    /** 80 and 443 as root, else 8080 and 8443. */
    public static IngressPorts defaults() {
        IngressSettings defaults = IngressSettings.defaults("0.0.0.0");
        return new IngressPorts(defaults.httpPort(), defaults.httpsPort());
    }

    /** The given ports, each left at its default when null. */
    public static IngressPorts of(Integer http, Integer https) {
        IngressPorts defaults = defaults();
        return new IngressPorts(http != null ? http : defaults.http(), https != null ? https : defaults.https());
    }
}
