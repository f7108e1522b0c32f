package io.timberdb.bench.query;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class NeedleFinderTest {

    static NeedleFinder.Counts counts(List<String> messages) {
        return NeedleFinder.count(i -> messages.get((int) i), messages.size());
    }

    @Test
    void countsWholeWordsOncePerMessageAndEveryWindowOfLongerNumbers() {
        NeedleFinder.Counts c = counts(List.of("block 1234560 and 1234560 again", "id=1234560;", "x12345607", "é1234560"));
        assertThat(c.whole[1234560]).as("whole word in the first two; glued to a letter in the last").isEqualTo(2);
        assertThat(c.anywhere[1234560]).as("also inside 12345607 and after é").isEqualTo(4);
        assertThat(c.anywhere[2345607]).isEqualTo(1);
        assertThat(c.whole[2345607]).isZero();
    }

    @Test
    void picksTheSmallestNumberThatOnlyEverStandsAloneInAHandfulOfMessages() {
        List<String> messages = List.of(
                "a 1000000 b", "c 1000000", "1000000 d",         // 3 messages, whole word each time
                "e 1000001", "f 1000001", "g 1000001", "h10000010",  // 3 whole, but also inside a longer number
                "i 1000002", "j 1000002");                          // only 2
        NeedleFinder.Counts c = counts(messages);
        assertThat(NeedleFinder.pick(c, 3, 6)).isEqualTo(1000000);
        assertThat(NeedleFinder.pick(c, 2, 2)).isEqualTo(1000002);
        assertThat(NeedleFinder.pick(c, 4, 6)).isEqualTo(-1);
    }
}
