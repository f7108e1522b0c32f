package io.timberdb.storage.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.timberdb.storage.codec.ByteSink;
import io.timberdb.storage.codec.ByteSource;
import io.timberdb.storage.codec.CodecException;
import org.junit.jupiter.api.Test;

class PostingsTest {

    @Test
    void collectsDistinctPagesPerKeyAndRoundTrips() {
        Postings.Builder builder = new Postings.Builder();
        builder.add(7, 0).add(7, 0).add(7, 3).add(2, 1).add(Postings.pairKey(3, 9), 2).add(Postings.pairKey(3, 9), 5);
        Postings postings = builder.build();
        assertThat(postings.keys()).containsExactly(2, 7, Postings.pairKey(3, 9));
        assertThat(postings.get(7)).isEqualTo(PostingList.of(0, 3));
        assertThat(postings.get(Postings.pairKey(3, 9))).isEqualTo(PostingList.of(2, 5));
        assertThat(postings.get(8)).isSameAs(PostingList.EMPTY);

        ByteSink sink = new ByteSink();
        postings.writeTo(sink);
        ByteSource in = new ByteSource(sink.toByteArray());
        Postings read = Postings.read(in, 6);
        in.expectEnd("postings");
        assertThat(read.keys()).containsExactly(postings.keys());
        assertThat(read.get(Postings.pairKey(3, 9))).isEqualTo(PostingList.of(2, 5));
    }

    @Test
    void countsAddUpPerPageAndRoundTripAfterEachListAsTheEntriesWithoutTheKey() {
        Postings postings = new Postings.Builder().add(7, 0, 3).add(7, 0).add(7, 2, 1).add(Postings.pairKey(1, 4), 1, 5).build();
        assertThat(postings.hasCounts()).isTrue();
        assertThat(postings.counts(7)).containsExactly(4, 1);
        assertThat(postings.counts(8)).isEmpty();
        int[] pageEntries = {4, 5, 9};

        ByteSink sink = new ByteSink();
        postings.writeTo(sink, pageEntries);
        // 2 keys; key 7: 2 pages, 0 and 2 (gap 2), then its counts: 4 of 4 as 2 * (4 - 4), 1 of 9 as
        // 2 * 1 - 1; pair (1, 4), a gap of 2^32 + 4 - 7: 1 page, 1, then 5 of 5 as 2 * (5 - 5)
        assertThat(sink.toByteArray()).containsExactly(2, 7, 2, 0, 2, 0, 1, 0xFD, 0xFF, 0xFF, 0xFF, 0x0F, 1, 1, 0);
    }

    @Test
    void countsRoundTripAndPostingsReadWithoutThemHaveNone() {
        Postings postings = new Postings.Builder().add(7, 0, 3).add(7, 2, 1).add(Postings.pairKey(1, 4), 1, 5).build();
        int[] pageEntries = {4, 5, 9};
        ByteSink withCounts = new ByteSink();
        postings.writeTo(withCounts, pageEntries);
        ByteSource in = new ByteSource(withCounts.toByteArray());
        Postings read = Postings.readWithCounts(in, pageEntries);
        in.expectEnd("postings");
        assertThat(read.keys()).containsExactly(postings.keys());
        assertThat(read.get(7)).isEqualTo(PostingList.of(0, 2));
        assertThat(read.counts(7)).containsExactly(3, 1);
        assertThat(read.counts(Postings.pairKey(1, 4))).containsExactly(5);

        ByteSink without = new ByteSink();
        postings.writeTo(without);
        Postings old = Postings.read(new ByteSource(without.toByteArray()), 3);
        assertThat(old.hasCounts()).isFalse();
        assertThat(old.counts(7)).isNull();
        assertThat(old.get(7)).isEqualTo(PostingList.of(0, 2));
        assertThatThrownBy(() -> old.writeTo(new ByteSink(), pageEntries)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void countsAreStoredFromTheNearerEndOfThePage() {
        int[] pageEntries = {4};
        // 1 and 2 of 4 entries as 2 * count - 1; 3 and 4 as 2 * (4 - count)
        int[] stored = {1, 3, 2, 0};
        for (int count = 1; count <= 4; count++) {
            ByteSink sink = new ByteSink();
            new Postings.Builder().add(0, 0, count).build().writeTo(sink, pageEntries);
            assertThat(sink.toByteArray()).as("count %d", count).containsExactly(1, 0, 1, 0, stored[count - 1]);
            assertThat(Postings.readWithCounts(new ByteSource(sink.toByteArray()), pageEntries).counts(0)).containsExactly(count);
        }
    }

    @Test
    void readWithCountsRejectsACountOfNoEntryOrMoreThanThePageHoldsOrNotInItsShortestForm() {
        // one key 0 in page 0 of 4 entries, then its count
        assertThatThrownBy(() -> Postings.readWithCounts(new ByteSource(new byte[] {1, 0, 1, 0, 8}), new int[] {4}))
                .isInstanceOf(CodecException.class).hasMessageContaining("count of key 0 in page 0 at byte 4 is 0, not 1..4");
        assertThatThrownBy(() -> Postings.readWithCounts(new ByteSource(new byte[] {1, 0, 1, 0, 9}), new int[] {4}))
                .isInstanceOf(CodecException.class).hasMessageContaining("is 5, not 1..4");
        for (int stored : new int[] {5, 4, 6}) { // 3 as 2 * 3 - 1, 2 as 2 * (4 - 2), 1 as 2 * (4 - 1)
            assertThatThrownBy(() -> Postings.readWithCounts(new ByteSource(new byte[] {1, 0, 1, 0, (byte) stored}), new int[] {4}))
                    .as("stored %d", stored).isInstanceOf(CodecException.class).hasMessageContaining("stored from the farther end");
        }
    }

    @Test
    void writeRejectsACountAboveThePagesEntries() {
        Postings postings = new Postings.Builder().add(1, 0, 5).build();
        assertThatThrownBy(() -> postings.writeTo(new ByteSink(), new int[] {4})).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> new Postings.Builder().add(1, 0, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void keysBetweenAreOneTagKeysPairs() {
        Postings postings = new Postings.Builder().add(Postings.pairKey(0, 3), 0).add(Postings.pairKey(1, 0), 0)
                .add(Postings.pairKey(1, 7), 1).add(Postings.pairKey(2, 1), 1).build();
        assertThat(postings.keys(Postings.pairKey(1, 0), Postings.pairKey(2, 0)))
                .containsExactly(Postings.pairKey(1, 0), Postings.pairKey(1, 7));
        assertThat(postings.keys(Postings.pairKey(3, 0), Postings.pairKey(4, 0))).isEmpty();
    }

    @Test
    void builderRequiresAscendingPages() {
        Postings.Builder builder = new Postings.Builder().add(1, 4);
        assertThatThrownBy(() -> builder.add(1, 3)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void postingListsAreGapEncodedAndIntersect() {
        ByteSink sink = new ByteSink();
        PostingList.of(5, 1, 3, 3).writeTo(sink);
        assertThat(sink.toByteArray()).containsExactly(3, 1, 2, 2);
        assertThat(PostingList.of(1, 3, 5, 7).intersect(PostingList.of(0, 3, 4, 7, 9))).isEqualTo(PostingList.of(3, 7));
        assertThat(PostingList.of(1, 2).intersect(PostingList.EMPTY).isEmpty()).isTrue();
    }

    @Test
    void readRejectsPagesOutOfRangeOrOrder() {
        assertThatThrownBy(() -> PostingList.read(new ByteSource(new byte[] {1, 6}), 6))
                .isInstanceOf(CodecException.class);
        assertThatThrownBy(() -> PostingList.read(new ByteSource(new byte[] {2, 1, 0}), 6))
                .isInstanceOf(CodecException.class);
        assertThatThrownBy(() -> Postings.read(new ByteSource(new byte[] {2, 5, 0, 0, 0}), 6))
                .isInstanceOf(CodecException.class);
    }
}
