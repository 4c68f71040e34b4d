package dev.konductor.controllers.nodeipam;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class CidrSetTest {

    @ParameterizedTest
    @CsvSource({
            "10.244.1.7/24, 10.244.1.0/24",
            "10.244.0.0/16, 10.244.0.0/16",
            "0.0.0.0/0, 0.0.0.0/0",
            "fd00:10:244:1::5/64, fd00:10:244:1::/64",
            "fd00::/8, fd00::/8",
            "2001:db8:0:0:1:0:0:1/128, 2001:db8::1:0:0:1/128"})
    void cidrsAreNormalisedToTheirNetworkAndWrittenShort(String text, String expected) {
        assertThat(Cidr.parse(text)).map(Cidr::toString).contains(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "10.244.0.0", "10.244.0.0/33", "10.244.0.0/-1", "example.com/24", "::ffff:1.2.3.4/120",
            "10.0.0.256/24", "/24", "10.0.0.0/"})
    void garbageIsNotACidr(String text) {
        assertThat(Cidr.parse(text)).isEmpty();
    }

    @Test
    void handsOutEveryNodeRangeOnceThenReportsExhaustion() {
        CidrSet set = new CidrSet(cidr("10.244.0.0/22"), 24);
        List<String> given = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            given.add(set.allocateNext().orElseThrow().toString());
        }
        assertThat(given).containsExactly("10.244.0.0/24", "10.244.1.0/24", "10.244.2.0/24", "10.244.3.0/24");
        assertThat(set.allocateNext()).isEmpty();
        assertThat(set.taken()).isEqualTo(4);
    }

    @Test
    void aReleasedRangeIsReusedOnlyAfterTheOthers() {
        CidrSet set = new CidrSet(cidr("10.244.0.0/22"), 24);
        Cidr first = set.allocateNext().orElseThrow();
        set.allocateNext();
        set.release(first);
        assertThat(set.allocateNext()).map(Cidr::toString).contains("10.244.2.0/24");
        assertThat(set.allocateNext()).map(Cidr::toString).contains("10.244.3.0/24");
        assertThat(set.allocateNext()).contains(first);
    }

    @Test
    void occupiedRangesAreSkippedAndOnesOutsideTheClusterAreIgnored() {
        CidrSet set = new CidrSet(cidr("10.244.0.0/16"), 24);
        assertThat(set.occupy(cidr("10.244.0.0/24"))).isTrue();
        assertThat(set.occupy(cidr("10.244.1.128/25"))).isTrue(); // part of a node range takes all of it
        assertThat(set.occupy(cidr("198.18.1.0/25"))).isFalse();
        assertThat(set.occupy(cidr("fd00::/64"))).isFalse();
        assertThat(set.allocateNext()).map(Cidr::toString).contains("10.244.2.0/24");
        assertThat(set.taken()).isEqualTo(3);
    }

    @Test
    void aRangeClaimedTwiceStaysTakenUntilBothLetGo() {
        CidrSet set = new CidrSet(cidr("10.0.0.0/23"), 24);
        set.occupy(cidr("10.0.0.0/24"));
        set.occupy(cidr("10.0.0.0/24"));
        set.release(cidr("10.0.0.0/24"));
        assertThat(set.taken()).isEqualTo(1);
        set.release(cidr("10.0.0.0/24"));
        assertThat(set.taken()).isZero();
    }

    @Test
    void ipv6NodeRangesAreAllDistinct() {
        CidrSet set = new CidrSet(cidr("fd00:10:244::/56"), 64);
        Set<String> seen = new HashSet<>();
        for (Optional<Cidr> next = set.allocateNext(); next.isPresent(); next = set.allocateNext()) {
            seen.add(next.get().toString());
        }
        assertThat(seen).hasSize(256).contains("fd00:10:244::/64", "fd00:10:244:ff::/64");
    }

    @Test
    void maskSizesAreCheckedUpFront() {
        assertThatThrownBy(() -> new CidrSet(cidr("10.244.0.0/16"), 8)).hasMessageContaining("must not be shorter");
        assertThatThrownBy(() -> new CidrSet(cidr("10.0.0.0/8"), 28)).hasMessageContaining("at most 16 bits more");
        assertThatThrownBy(() -> NodeIpamSettings.of("10.244.0.0/16,10.245.0.0/16", 24, 64))
                .hasMessageContaining("one IPv4 and one IPv6");
        assertThatThrownBy(() -> NodeIpamSettings.of("10.244.0.0/33", 24, 64)).hasMessageContaining("not a valid CIDR");
        assertThat(NodeIpamSettings.of("10.244.0.0/16, fd00:10:244::/56", 24, 64).clusterCidrs())
                .containsExactly("10.244.0.0/16", "fd00:10:244::/56");
    }

    static Cidr cidr(String text) {
        return Cidr.parse(text).orElseThrow();
    }
}
