package io.timberdb.query.control;

/** HTTP headers of the query API. */
public final class QueryHeaders {

    /**
     * A query's id: on a request, the id the client chooses (so that it can ask for the status or
     * cancel before the answer comes); on the response, the id the query ran under.
     */
    public static final String QUERY_ID = "X-Query-Id";

    private QueryHeaders() {
    }
}
