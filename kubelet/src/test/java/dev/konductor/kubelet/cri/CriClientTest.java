package dev.konductor.kubelet.cri;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Status;
import org.junit.jupiter.api.Test;

class CriClientTest {

    @Test
    void errorsReadAsUpstreamsKubeletPrintsACriError() {
        assertThat(CriClient.goStyle(Status.Code.NOT_FOUND, "failed to pull and unpack image \"docker.io/library/x:1\""))
                .isEqualTo("rpc error: code = NotFound desc = failed to pull and unpack image \"docker.io/library/x:1\"");
        assertThat(CriClient.goCodeName(Status.Code.DEADLINE_EXCEEDED)).isEqualTo("DeadlineExceeded");
        assertThat(CriClient.goCodeName(Status.Code.UNAVAILABLE)).isEqualTo("Unavailable");
        assertThat(CriClient.goCodeName(Status.Code.CANCELLED)).isEqualTo("Canceled");
        assertThat(CriClient.goCodeName(Status.Code.OK)).isEqualTo("OK");
    }
}
