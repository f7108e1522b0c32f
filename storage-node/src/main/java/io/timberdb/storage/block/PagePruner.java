package io.timberdb.storage.block;

import io.timberdb.model.api.QueryFilter;
import io.timberdb.storage.index.BloomFilter;
import io.timberdb.storage.index.PostingList;
import io.timberdb.storage.index.Postings;
import io.timberdb.storage.index.Tokenizer;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Chooses the pages of a block that may hold matches of a filter. Every test may only remove
 * pages that certainly hold no match — a removed page with a match is a lost result:
 * <ol>
 *   <li>time range: the page's [min, max] must meet the filter's [from, to);</li>
 *   <li>source: the page must be in the source's posting list (a source the block's dictionary
 *       lacks matches no page);</li>
 *   <li>tags: the page must be in the posting list of every (key, value) pair;</li>
 *   <li>message_contains: the page's token filter must contain every token that
 *       {@link io.timberdb.storage.index.Tokenizer#wholeWordTokens} derives from the needle with the
 *       block's own tokenizer — the words that are complete on both sides within the needle;</li>
 *   <li>required terms (the words a MATCHES search needs in every match): the page's token filter
 *       must contain each of them that has a length the block's tokenizer puts in filters (a
 *       shorter or longer word is in no filter, so it cannot rule a page out).</li>
 * </ol>
 * Cheap tests run first; token filters are loaded only for pages that pass the others. Each page
 * ruled out is counted against the first test that rules it out ({@link Pruning}).
 *
 * <p>Stateless; thread-safe.
 */
final class PagePruner {

    private PagePruner() {
    }

    static Pruning candidates(BlockReader reader, QueryFilter filter, Set<String> requiredTerms) throws IOException {
        Instant from = filter.from();
        Instant to = filter.to();
        BlockHeader header = reader.header();
        int pageCount = reader.pageCount();
        if (!overlaps(header.minTimestamp(), header.maxTimestamp(), from, to)) {
            return Pruning.outOfTime(pageCount);
        }
        PostingList allowed = null; // null: every page
        if (filter.source() != null || !filter.tags().isEmpty()) {
            BlockIndex index = reader.index();
            if (filter.source() != null) {
                int source = index.sources().id(filter.source());
                if (source < 0) {
                    return new Pruning(List.of(), 0, pageCount, 0);
                }
                allowed = index.sourcePostings().get(source);
            }
            for (Map.Entry<String, String> tag : filter.tags().entrySet()) {
                int key = index.tagKeys().id(tag.getKey());
                int value = tag.getValue() == null ? -1 : index.tagValues().id(tag.getValue());
                if (key < 0 || value < 0) {
                    return new Pruning(List.of(), 0, pageCount, 0);
                }
                PostingList pages = index.tagPostings().get(Postings.pairKey(key, value));
                allowed = allowed == null ? pages : allowed.intersect(pages);
            }
            if (allowed.isEmpty()) {
                return new Pruning(List.of(), 0, pageCount, 0);
            }
        }
        List<BloomFilter.Key> tokens = new ArrayList<>();
        Tokenizer tokenizer = header.tokenizer();
        if (filter.messageContains() != null) {
            for (String token : tokenizer.wholeWordTokens(filter.messageContains())) {
                tokens.add(BloomFilter.key(token));
            }
        }
        for (String term : requiredTerms) {
            int length = term.codePointCount(0, term.length());
            if (length >= tokenizer.minWordLength() && length <= tokenizer.maxWordLength()) {
                tokens.add(BloomFilter.key(term));
            }
        }
        List<PageFormat.PageEntry> pages = reader.directory();
        int count = allowed == null ? pages.size() : allowed.size();
        List<Integer> candidates = new ArrayList<>();
        int byTime = 0;
        int byTokens = 0;
        for (int i = 0; i < count; i++) {
            int page = allowed == null ? i : allowed.get(i);
            PageFormat.PageEntry entry = pages.get(page);
            if (!overlaps(entry.minTimestamp(), entry.maxTimestamp(), from, to)) {
                byTime++;
            } else if (!mayContainAll(reader, page, tokens)) {
                byTokens++;
            } else {
                candidates.add(page);
            }
        }
        return new Pruning(candidates, byTime, pageCount - count, byTokens);
    }

    private static boolean mayContainAll(BlockReader reader, int page, List<BloomFilter.Key> tokens) throws IOException {
        if (tokens.isEmpty()) {
            return true;
        }
        BloomFilter filter = reader.bloom(page);
        for (BloomFilter.Key token : tokens) {
            if (!filter.mightContain(token)) {
                return false;
            }
        }
        return true;
    }

    /** Whether [min, max] meets [from, to): from inclusive, to exclusive, null for an open end. */
    static boolean overlaps(Instant min, Instant max, Instant from, Instant to) {
        return (from == null || !max.isBefore(from)) && (to == null || min.isBefore(to));
    }
}
