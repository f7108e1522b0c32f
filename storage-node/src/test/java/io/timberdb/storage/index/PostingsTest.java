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
