package io.timberdb.model.query;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class QueryRoundTripTest {

    @Provide
    Arbitrary<Query> queries() {
        return QueryArbitraries.query();
    }

    @Provide
    Arbitrary<TextQuery> searches() {
        return QueryArbitraries.textQuery(3);
    }

    @Property(tries = 2000)
    void parsingThePrintedQueryGivesItBack(@ForAll("queries") Query query) {
        String text = QueryPrinter.print(query);

        assertThat(QueryParser.parse(text)).as(text).isEqualTo(query);
    }

    @Property(tries = 1000)
    void parsingThePrintedSearchGivesItBack(@ForAll("searches") TextQuery search) {
        Query query = QueryParser.parse("SELECT * FROM l").withWhere(new Predicate.Matches(search));
        String text = QueryPrinter.print(query);

        assertThat(QueryParser.parse(text)).as(text).isEqualTo(query);
    }
}
