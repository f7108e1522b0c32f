package io.timberdb.ingest.elastic;

import io.timberdb.model.web.NodeIdentity;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * What Elasticsearch clients ask before they send: {@code GET /} (and {@code HEAD /}), the
 * cluster's name and version, and {@code GET /_license}, a basic licence (Beats and Logstash look
 * at it before they use ILM). The version ({@code timberdb.ingest.elasticsearch.version},
 * 8.11.0) is an 8.x one: the 8.x clients (the official Java and Python clients, Beats and
 * Logstash 8) accept any 8.x server that sends {@code X-Elastic-Product: Elasticsearch}
 * ({@link ElasticProductHeader}), and an 8.x server tells Fluent Bit and rsyslog not to send the
 * mapping types that 8.x removed.
 */
@RestController
class ProbeController {

    private final NodeIdentity node;
    private final String version;

    ProbeController(NodeIdentity node, ElasticsearchProperties props) {
        this.node = node;
        this.version = props.version();
    }

    @GetMapping("/")
    public Map<String, Object> info() {
        Map<String, Object> build = new LinkedHashMap<>();
        build.put("number", version);
        build.put("build_flavor", "default");
        build.put("build_type", "timberdb");
        build.put("build_hash", "timberdb-" + node.version());
        build.put("build_date", node.startedAt().toString());
        build.put("build_snapshot", false);
        build.put("lucene_version", "9.8.0");
        build.put("minimum_wire_compatibility_version", "7.17.0");
        build.put("minimum_index_compatibility_version", "7.0.0");
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("name", node.nodeId());
        info.put("cluster_name", "timberdb");
        info.put("cluster_uuid", "timberdb");
        info.put("version", build);
        info.put("tagline", "You Know, for Search");
        return info;
    }

    @GetMapping("/_license")
    public Map<String, Object> license() {
        Map<String, Object> license = new LinkedHashMap<>();
        license.put("status", "active");
        license.put("uid", "timberdb");
        license.put("type", "basic");
        license.put("issue_date_in_millis", node.startedAt().toEpochMilli());
        license.put("max_nodes", 1000);
        license.put("issued_to", "timberdb");
        license.put("issuer", "timberdb");
        license.put("start_date_in_millis", -1);
        return Map.of("license", license);
    }
}
