package io.timberdb.ingest.push;

import static org.assertj.core.api.Assertions.assertThat;

import io.timberdb.model.error.ErrorCode;
import io.timberdb.model.error.TimberException;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

class PushGateTest {

    final PushGate gate = new PushGate("native API", 1000, 1000, 2);

    @Test
    void requestsBeyondThePermitsAreRefused429UntilOneCompletes() {
        HttpHeaders headers = new HttpHeaders();
        Disposable first = gate.admit(headers, Mono::never).subscribe();
        Disposable second = gate.admit(headers, Mono::never).subscribe();
        StepVerifier.create(gate.admit(headers, () -> Mono.just("third")))
                .expectErrorSatisfies(e -> assertThat(((TimberException) e).code()).isEqualTo(ErrorCode.TOO_MANY_REQUESTS))
                .verify();
        first.dispose(); // a cancelled request gives its permit back
        StepVerifier.create(gate.admit(headers, () -> Mono.just("third"))).expectNext("third").verifyComplete();
        second.dispose();
    }

    @Test
    void aContentLengthPastTheMaximumIsRefusedBeforeThePermits() {
        HttpHeaders headers = new HttpHeaders();
        headers.setContentLength(1001);
        StepVerifier.create(gate.admit(headers, () -> Mono.just("x")))
                .expectErrorSatisfies(e -> assertThat(((TimberException) e).code()).isEqualTo(ErrorCode.PAYLOAD_TOO_LARGE))
                .verify();
    }
}
