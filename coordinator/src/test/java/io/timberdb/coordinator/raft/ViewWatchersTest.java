package io.timberdb.coordinator.raft;

import static org.assertj.core.api.Assertions.assertThat;

import io.timberdb.model.cluster.ClusterView;
import io.timberdb.model.error.ErrorCode;
import io.timberdb.model.error.TimberException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

/** The registry behind the cluster view watch: who is answered, when, and what is forgotten. */
class ViewWatchersTest {

    private final ViewWatchers watchers = new ViewWatchers();

    @Test
    void answersAtOnceWhenTheCurrentViewIsAlreadyNewer() {
        CompletableFuture<ClusterView> future = watchers.newerThan(2, () -> view(3));

        assertThat(future).isCompletedWithValue(view(3));
        assertThat(watchers.size()).isZero();
    }

    @Test
    void waitsForAViewAboveTheVersionAndIgnoresOthers() {
        CompletableFuture<ClusterView> future = watchers.newerThan(3, () -> view(3));

        watchers.publish(view(3));
        assertThat(future).isNotDone();
        watchers.publish(view(4));
        assertThat(future).isCompletedWithValue(view(4));
        assertThat(watchers.size()).isZero();
    }

    @Test
    void aViewPublishedWhileRegisteringIsNotMissed() {
        // The publisher runs between the registration and the read of the current view: the
        // read sees the new view even though publish() found no waiter to complete, or the
        // other way round; either way the future completes.
        List<CompletableFuture<ClusterView>> futures = new ArrayList<>();
        futures.add(watchers.newerThan(5, () -> {
            watchers.publish(view(6));
            return view(5);
        }));
        futures.add(watchers.newerThan(5, () -> view(6)));

        assertThat(futures).allSatisfy(f -> assertThat(f).isCompletedWithValue(view(6)));
    }

    @Test
    void aCancelledWaitIsForgotten() {
        CompletableFuture<ClusterView> future = watchers.newerThan(1, () -> view(1));
        assertThat(watchers.size()).isEqualTo(1);

        future.cancel(false);

        assertThat(watchers.size()).isZero();
    }

    @Test
    void refusesPastTheBoundWithUnavailable() {
        for (int i = 0; i < ViewWatchers.MAX_WAITERS; i++) {
            watchers.newerThan(1, () -> view(1));
        }

        CompletableFuture<ClusterView> refused = watchers.newerThan(1, () -> view(1));

        assertThat(refused).isCompletedExceptionally();
        assertThat(refused.handle((v, e) -> e).join()).isInstanceOfSatisfying(TimberException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.UNAVAILABLE));
        watchers.publish(view(2));
        assertThat(watchers.size()).isZero();
    }

    @Test
    void failAllFailsEveryWaiter() {
        CompletableFuture<ClusterView> future = watchers.newerThan(1, () -> view(1));

        watchers.failAll(new ProposalException("closed", true));

        assertThat(future).isCompletedExceptionally();
        assertThat(future.handle((v, e) -> e instanceof CompletionException c ? c.getCause() : e).join())
                .isInstanceOf(ProposalException.class);
    }

    private static ClusterView view(long version) {
        return new ClusterView(version, ClusterView.EMPTY.coordinator(), List.of(), List.of());
    }
}
