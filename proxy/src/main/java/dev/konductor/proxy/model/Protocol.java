package dev.konductor.proxy.model;

import java.util.Locale;

/** The transport protocols a Service port may carry. */
public enum Protocol {
    TCP, UDP, SCTP;

    /** As the API spells it; an absent protocol is TCP, as defaulting makes it. */
    public static Protocol of(String apiValue) {
        if (apiValue == null || apiValue.isEmpty()) {
            return TCP;
        }
        return valueOf(apiValue.toUpperCase(Locale.ROOT));
    }

    /** Lower case, as nftables and chain names spell it. */
    public String lower() {
        return name().toLowerCase(Locale.ROOT);
    }
}
