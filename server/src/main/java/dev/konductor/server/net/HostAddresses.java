package dev.konductor.server.net;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * This machine's name and addresses, as the API serving certificate and the advertised address
 * need them. Reads the kernel's host name rather than asking the resolver, because a resolver
 * lookup can stall for seconds on a machine without working DNS.
 *
 * @param hostname  the host name, lower case
 * @param addresses every address of every interface that is up, loopback included, without
 *                  IPv6 link-local addresses (they need a zone to be usable, and a certificate
 *                  cannot carry one)
 */
public record HostAddresses(String hostname, Set<InetAddress> addresses) {

    private static final Path KERNEL_HOSTNAME = Path.of("/proc/sys/kernel/hostname");

    public HostAddresses {
        addresses = Set.copyOf(addresses);
    }

    public static HostAddresses discover() {
        return new HostAddresses(kernelHostname(), interfaceAddresses());
    }

    /**
     * The address to publish for the API server when none is given: the first IPv4 address that
     * is neither loopback nor link-local, as other machines can reach it; loopback otherwise.
     */
    public InetAddress defaultAdvertiseAddress() {
        return addresses.stream()
                .filter(a -> a.getAddress().length == 4)
                .filter(a -> !a.isLoopbackAddress() && !a.isLinkLocalAddress())
                .sorted(java.util.Comparator.comparing(InetAddress::getHostAddress))
                .findFirst()
                .orElse(InetAddress.getLoopbackAddress());
    }

    /**
     * The node's own address, as upstream's kubelet picks it without --node-ip: the first IPv4
     * address of the interface holding the default route ({@code /proc/net/route}); when there
     * is none, {@link #defaultAdvertiseAddress()}. Interfaces that come and go (bridges, test
     * networks) then never become the node's address.
     */
    public InetAddress nodeAddress() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/net/route")).stream().skip(1).toList()) {
                String[] fields = line.trim().split("\\s+");
                if (fields.length > 7 && fields[1].equals("00000000") && fields[7].equals("00000000")) {
                    NetworkInterface nic = NetworkInterface.getByName(fields[0]);
                    if (nic != null && nic.isUp()) {
                        java.util.Optional<InetAddress> ipv4 = nic.inetAddresses()
                                .filter(a -> a.getAddress().length == 4 && !a.isLoopbackAddress()).findFirst();
                        if (ipv4.isPresent()) {
                            return Cidr.byAddress(ipv4.get().getAddress());
                        }
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            // no routing table to read (not Linux): fall back
        }
        return defaultAdvertiseAddress();
    }

    private static String kernelHostname() {
        try {
            if (Files.isReadable(KERNEL_HOSTNAME)) {
                return Files.readString(KERNEL_HOSTNAME).strip().toLowerCase(java.util.Locale.ROOT);
            }
            return InetAddress.getLocalHost().getHostName().toLowerCase(java.util.Locale.ROOT);
        } catch (IOException e) {
            return "localhost";
        }
    }

    private static Set<InetAddress> interfaceAddresses() {
        Set<InetAddress> addresses = new LinkedHashSet<>();
        try {
            for (NetworkInterface nic : NetworkInterfaces.list()) {
                if (!NetworkInterfaces.isUp(nic)) {
                    continue;
                }
                nic.inetAddresses()
                        .filter(a -> !(a.isLinkLocalAddress() && a.getAddress().length == 16))
                        .map(a -> Cidr.byAddress(a.getAddress())) // drops the zone and any name
                        .forEach(addresses::add);
            }
        } catch (SocketException e) {
            throw new UncheckedIOException("cannot list network interfaces: " + e.getMessage(), e);
        }
        return addresses;
    }
}
