package dev.konductor.kubelet.token;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.konductor.testing.ManualClock;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.authentication.TokenRequest;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TokenManagerTest {

    private static final Pod POD = new PodBuilder().withNewMetadata().withNamespace("shop").withName("web").withUid("u-1")
            .endMetadata().withNewSpec().withServiceAccountName("builder").endSpec().build();

    private final ManualClock clock = new ManualClock();
    private final List<TokenRequest> asked = new ArrayList<>();
    private boolean serverUp = true;
    private final TokenRequester server = (namespace, serviceAccount, request) -> {
        if (!serverUp) {
            throw new TokenRequester.Failed("the server could not find the requested resource");
        }
        asked.add(request);
        long seconds = request.getSpec().getExpirationSeconds();
        return new TokenRequestBuilder(request).withNewStatus().withToken(serviceAccount + "-token-" + asked.size())
                .withExpirationTimestamp(clock.instant().plusSeconds(seconds).toString()).endStatus().build();
    };
    private final TokenManager tokens = new TokenManager(server, clock);

    @Test
    void asksForATokenBoundToThePod() throws Exception {
        assertThat(tokens.token(POD, "vault", 3600)).isEqualTo("builder-token-1");

        TokenRequest request = asked.getFirst();
        assertThat(request.getSpec().getAudiences()).containsExactly("vault");
        assertThat(request.getSpec().getExpirationSeconds()).isEqualTo(3600);
        assertThat(request.getSpec().getBoundObjectRef().getKind()).isEqualTo("Pod");
        assertThat(request.getSpec().getBoundObjectRef().getName()).isEqualTo("web");
        assertThat(request.getSpec().getBoundObjectRef().getUid()).isEqualTo("u-1");
    }

    @Test
    void rotatesOnceFourFifthsOfTheLifeHavePassed() throws Exception {
        tokens.token(POD, "", 3600);
        clock.advance(Duration.ofMinutes(47)); // before 80% less the largest jitter
        assertThat(tokens.token(POD, "", 3600)).isEqualTo("builder-token-1");

        clock.advance(Duration.ofMinutes(2)); // 49 min: past 48 min
        assertThat(tokens.token(POD, "", 3600)).isEqualTo("builder-token-2");
        assertThat(asked).hasSize(2);
    }

    @Test
    void keepsAValidTokenWhenTheServerFailsAndSaysSoOnceItExpired() throws Exception {
        tokens.token(POD, "", 3600);
        serverUp = false;
        clock.advance(Duration.ofMinutes(55));
        assertThat(tokens.token(POD, "", 3600)).isEqualTo("builder-token-1");

        clock.advance(Duration.ofMinutes(6));
        assertThatThrownBy(() -> tokens.token(POD, "", 3600))
                .hasMessage("failed to fetch token: the server could not find the requested resource");
    }

    @Test
    void forgetsThePodsTokens() throws Exception {
        tokens.token(POD, "", 3600);
        tokens.forget("u-1");

        tokens.token(POD, "", 3600);
        assertThat(asked).hasSize(2);
    }

    @Test
    void longLivedTokensAreRenewedDaily() {
        Instant now = Instant.parse("2025-01-02T00:00:00Z");
        var yearLong = new TokenManager.Issued("t", Instant.parse("2025-12-31T00:00:00Z"), 365L * 24 * 3600);
        var fresh = new TokenManager.Issued("t", now.plus(Duration.ofDays(365)), 365L * 24 * 3600);

        assertThat(TokenManager.needsRefresh(yearLong, now, Duration.ZERO)).isTrue();
        assertThat(TokenManager.needsRefresh(fresh, now.plus(Duration.ofHours(23)), Duration.ZERO)).isFalse();
    }

}
