package io.timberdb.ingest.elastic;

/**
 * One action of a bulk request: its operation, target index and client id, and either the
 * document to store or the error that refuses it.
 *
 * @param action {@code index}, {@code create}, {@code delete} or {@code update}, as the request named it
 * @param index the action's {@code _index}, else the path's index; null when neither names one
 * @param id the action's {@code _id}, or null; TimberDB assigns ids of its own and does not use it
 * @param document the source line's fields, or null when the item is refused
 * @param error why the item is refused, or null
 */
record BulkItem(String action, String index, String id, DocumentFields document, Error error) {

    /**
     * An Elasticsearch item error: {@code {"type", "reason"}} with the item's HTTP status.
     */
    record Error(int status, String type, String reason) {
    }

    static BulkItem refused(String action, String index, String id, int status, String type, String reason) {
        return new BulkItem(action, index, id, null, new Error(status, type, reason));
    }

    BulkItem refusedWith(Error refusal) {
        return new BulkItem(action, index, id, null, refusal);
    }
}
