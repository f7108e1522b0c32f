package io.timberdb.storage.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ByteSourceTest {

    @Test
    void varintsUseLeb128LowBitsFirst() {
        assertThat(new ByteSink().varint(300).toByteArray()).containsExactly(0xAC, 0x02);
        assertThat(new ByteSink().varint(-1).toByteArray()).containsExactly(0xFF, 0xFF, 0xFF, 0xFF, 0x0F);
        assertThat(new ByteSink().varlong(-1L).toByteArray()).hasSize(10);
        assertThat(ByteSink.zigzag(-1)).isEqualTo(1);
        assertThat(ByteSink.zigzag(1)).isEqualTo(2);
        assertThat(ByteSink.zigzag(Long.MIN_VALUE)).isEqualTo(-1L);
    }

    @Test
    void readingPastTheEndThrowsCodecException() {
        ByteSource source = new ByteSource(new byte[] {1, 2, 3});
        assertThatThrownBy(source::getInt).isInstanceOf(CodecException.class);
        assertThatThrownBy(() -> new ByteSource(new byte[] {(byte) 0x80}).varint()).isInstanceOf(CodecException.class);
        assertThatThrownBy(() -> new ByteSource(new byte[] {5, 'a'}).string()).isInstanceOf(CodecException.class);
    }

    @Test
    void overlongAndOverflowingVarintsAreRejected() {
        byte[] sixBytes = {(byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, 0x01};
        assertThatThrownBy(() -> new ByteSource(sixBytes).varint()).isInstanceOf(CodecException.class);
        byte[] overflow = {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x1F};
        assertThatThrownBy(() -> new ByteSource(overflow).varint()).isInstanceOf(CodecException.class);
        assertThatThrownBy(() -> new ByteSource(new byte[] {9}).varint(8, "count"))
                .isInstanceOf(CodecException.class).hasMessageContaining("count 9");
    }

    @Test
    void expectEndReportsLeftoverBytes() {
        ByteSource source = new ByteSource(new byte[] {1, 2}, 0, 2);
        source.u8();
        assertThatThrownBy(() -> source.expectEnd("column")).isInstanceOf(CodecException.class)
                .hasMessageContaining("1 bytes left over");
    }
}
