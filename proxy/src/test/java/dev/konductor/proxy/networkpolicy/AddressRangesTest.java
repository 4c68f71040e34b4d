package dev.konductor.proxy.networkpolicy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.konductor.proxy.model.Cidr;
import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

class AddressRangesTest {

    private static AddressRanges cidr(String text) {
        return AddressRanges.of(Cidr.parse(text));
    }

    private static InetAddress ip(String literal) {
        return InetAddress.ofLiteral(literal);
    }

    @Test
    void anExceptCutsAHoleOutOfTheBlock() {
        AddressRanges block = cidr("172.17.0.0/16").minus(cidr("172.17.1.0/24"));

        assertThat(block.ipv4Elements()).containsExactly("172.17.0.0/24", "172.17.2.0-172.17.255.255");
        assertThat(block.contains(ip("172.17.0.9"))).isTrue();
        assertThat(block.contains(ip("172.17.1.9"))).isFalse();
        assertThat(block.contains(ip("172.18.0.1"))).isFalse();
    }

    @Test
    void overlappingAndAdjacentRangesMergeSoTheKernelNeverSeesConflictingIntervals() {
        AddressRanges merged = cidr("10.0.0.0/25").union(cidr("10.0.0.128/25")).union(cidr("10.0.0.7/32"))
                .union(AddressRanges.of(ip("10.0.1.0")));

        assertThat(merged.ipv4Elements()).containsExactly("10.0.0.0-10.0.1.0");
        assertThat(cidr("10.0.0.0/25").union(cidr("10.0.0.128/25")).ipv4Elements()).containsExactly("10.0.0.0/24");
    }

    @Test
    void singleAddressesStaySingleAndEqualSetsAreEqualValues() {
        AddressRanges a = AddressRanges.of(List.of(ip("10.0.0.9"), ip("10.0.0.3")));
        AddressRanges b = AddressRanges.of(ip("10.0.0.3")).union(AddressRanges.of(ip("10.0.0.9")));

        assertThat(a).isEqualTo(b);
        assertThat(a.ipv4Elements()).containsExactly("10.0.0.3", "10.0.0.9");
    }

    @Test
    void theWholeAddressSpaceAndIpv6AreKeptApart() {
        AddressRanges all = cidr("0.0.0.0/0").union(cidr("fd00::/64")).minus(cidr("10.0.0.0/8"));

        assertThat(all.ipv4Elements()).containsExactly("0.0.0.0-9.255.255.255", "11.0.0.0-255.255.255.255");
        assertThat(all.ipv6Elements()).containsExactly("fd00:0:0:0:0:0:0:0/64");
        assertThat(all.contains(ip("fd00::1"))).isTrue();
        assertThat(all.contains(ip("10.1.2.3"))).isFalse();
    }

    @Test
    void cuttingEverythingLeavesNothing() {
        assertThat(cidr("10.1.0.0/16").minus(cidr("10.0.0.0/8")).isEmpty()).isTrue();
    }
}
