package dev.konductor.proxy.dns;

import dev.konductor.api.dns.ResolvConf;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.xbill.DNS.ExtendedResolver;
import org.xbill.DNS.Message;
import org.xbill.DNS.Resolver;
import org.xbill.DNS.SimpleResolver;

/**
 * Forwards to ordinary recursive resolvers (the host's, by default), as CoreDNS's
 * {@code forward . /etc/resolv.conf}: UDP first, TCP when the answer comes back truncated,
 * the next server when one does not answer.
 */
public final class UpstreamForwarder implements Forwarder {

    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(2);

    private final List<InetSocketAddress> servers;
    private final Resolver resolver;

    public UpstreamForwarder(List<InetSocketAddress> servers, Duration timeout) {
        if (servers.isEmpty()) {
            throw new IllegalArgumentException("at least one upstream resolver is needed");
        }
        this.servers = List.copyOf(servers);
        List<Resolver> resolvers = new ArrayList<>();
        for (InetSocketAddress server : servers) {
            SimpleResolver simple = new SimpleResolver(server);
            simple.setTimeout(timeout);
            resolvers.add(simple);
        }
        ExtendedResolver extended = new ExtendedResolver(resolvers);
        extended.setTimeout(timeout.multipliedBy(servers.size()));
        extended.setRetries(1);
        this.resolver = extended;
    }

    /**
     * The name servers of a resolv.conf (the host's is {@code /etc/resolv.conf}), on port 53;
     * like the C library, 127.0.0.1 when it names none. Servers at {@code self} are left out:
     * forwarding to ourselves would loop.
     */
    public static UpstreamForwarder fromResolvConf(Path file, List<InetSocketAddress> self) throws IOException {
        ResolvConf conf = Files.exists(file) ? ResolvConf.parse(Files.readString(file)) : ResolvConf.EMPTY;
        List<InetSocketAddress> servers = new ArrayList<>();
        for (String nameserver : conf.nameservers()) {
            IpAddresses.parse(nameserver)
                    .map(ip -> new InetSocketAddress(ip, 53))
                    .filter(server -> !self.contains(server))
                    .ifPresent(servers::add);
        }
        if (servers.isEmpty()) {
            servers.add(new InetSocketAddress(InetAddress.getLoopbackAddress(), 53));
        }
        return new UpstreamForwarder(servers, DEFAULT_TIMEOUT);
    }

    public List<InetSocketAddress> servers() {
        return servers;
    }

    @Override
    public Message forward(Message query) throws IOException {
        Message upstreamQuery = query.clone();
        // our own ID towards upstream: the client's is not ours to reuse across connections
        upstreamQuery.getHeader().setID(ThreadLocalRandom.current().nextInt(0x10000));
        return resolver.send(upstreamQuery);
    }

    @Override
    public String toString() {
        return "upstream " + servers;
    }
}
