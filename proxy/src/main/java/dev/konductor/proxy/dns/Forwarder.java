package dev.konductor.proxy.dns;

import java.io.IOException;
import org.xbill.DNS.Message;

/** Where questions outside the cluster's names go. */
@FunctionalInterface
public interface Forwarder {

    /**
     * The upstream answer to {@code query}. The caller owns both messages: it sets the reply's
     * ID and EDNS record for its own client.
     *
     * @throws IOException when no upstream answered (the client then gets SERVFAIL)
     */
    Message forward(Message query) throws IOException;

    /** For servers that must answer only for the cluster: everything else fails (SERVFAIL). */
    static Forwarder none() {
        return query -> {
            throw new IOException("no upstream resolver configured");
        };
    }
}
