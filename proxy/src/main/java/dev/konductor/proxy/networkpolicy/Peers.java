package dev.konductor.proxy.networkpolicy;

/** The other end of the traffic a rule allows: the source of ingress, the destination of egress. */
public sealed interface Peers {

    /** The rule lists no peers ({@code from}/{@code to} empty or absent): any address. */
    record Any() implements Peers {
    }

    /** Only these addresses: the selected pods' IPs and the {@code ipBlock}s. May be empty. */
    record Only(AddressRanges addresses) implements Peers {
    }

    Peers ANY = new Any();

    /** Whether no address at all is allowed. */
    default boolean none() {
        return this instanceof Only only && only.addresses().isEmpty();
    }
}
